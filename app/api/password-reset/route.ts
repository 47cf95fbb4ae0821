// POST /api/password-reset — "Forgot password?": emails a reset link if an account has this address; the
// answer is the same either way (no account enumeration); rate limited per client and per email address.
import { parseBody, withErrors } from "@/lib/api/handler";
import { requestPasswordReset } from "@/lib/auth/password-reset";
import { clientAddress } from "@/lib/rate-limit/limits";
import { passwordResetRequestBody } from "@/lib/validation/auth";

export const POST = withErrors(async (req) => {
  const { email } = await parseBody(req, passwordResetRequestBody);
  await requestPasswordReset(email, clientAddress(req));
  return Response.json(
    { message: "If an account uses this address, we have sent it a link to choose a new password." },
    { status: 202 },
  );
});
