// POST /api/account — sign up as SIGNUP_MODE allows (rate limited per client address; lib/auth/sign-up.ts); GET /api/account — the signed-in user;
// PATCH /api/account — the user's settings (the undo window); DELETE /api/account — delete the account and
// everything it owns (password confirmation, rate limited).
import { parseBody, withErrors, withUser } from "@/lib/api/handler";
import { requestMeta } from "@/lib/audit/events";
import { deleteAccount } from "@/lib/auth/account-security";
import { forgetUserSessions } from "@/lib/auth/session";
import { clearSessionCookie } from "@/lib/auth/session-cookie";
import { signUp } from "@/lib/auth/sign-up";
import { updateUserSettings } from "@/lib/auth/users";
import { clientAddress, limits } from "@/lib/rate-limit/limits";
import { accountSettingsBody, deleteAccountBody, signUpBody } from "@/lib/validation/auth";

export const POST = withErrors(async (req) => {
  await limits.signUp.consumeOrThrow(
    `ip:${clientAddress(req)}`,
    "Too many sign-ups from this address. Try again later.",
  );
  const user = await signUp(await parseBody(req, signUpBody));
  return Response.json({ user }, { status: 201 });
});

export const GET = withUser(async (_req, { user }) => Response.json({ user }));

export const PATCH = withUser(async (req, { user }) => {
  const updated = await updateUserSettings(user.id, await parseBody(req, accountSettingsBody));
  // Cached sessions carry the settings: drop them so the next request sees the change.
  forgetUserSessions(user.id);
  return Response.json({ user: updated });
});

export const DELETE = withUser(async (req, { user }) => {
  const { password } = await parseBody(req, deleteAccountBody);
  await deleteAccount(user.id, password, requestMeta(req));
  return new Response(null, { status: 204, headers: { "Set-Cookie": clearSessionCookie() } });
});
