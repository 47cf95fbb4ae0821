// POST /api/account — sign up (rate limited per client address); GET /api/account — the signed-in user.
import { parseBody, withErrors, withUser } from "@/lib/api/handler";
import { createUser } from "@/lib/auth/users";
import { clientAddress, limits } from "@/lib/rate-limit/limits";
import { signUpBody } from "@/lib/validation/auth";

export const POST = withErrors(async (req) => {
  limits.signUp.consumeOrThrow(
    `ip:${clientAddress(req)}`,
    "Too many sign-ups from this address. Try again later.",
  );
  const user = await createUser(await parseBody(req, signUpBody));
  return Response.json({ user }, { status: 201 });
});

export const GET = withUser(async (_req, { user }) => Response.json({ user }));
