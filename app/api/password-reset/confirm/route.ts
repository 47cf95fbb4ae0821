// POST /api/password-reset/confirm — sets a new password from a reset link (single use, expiring); every
// session of the account ends.
import { parseBody, withErrors } from "@/lib/api/handler";
import { requestMeta } from "@/lib/audit/events";
import { resetPassword } from "@/lib/auth/password-reset";
import { clientAddress } from "@/lib/rate-limit/limits";
import { passwordResetBody } from "@/lib/validation/auth";

export const POST = withErrors(async (req) => {
  await resetPassword(await parseBody(req, passwordResetBody), requestMeta(req), clientAddress(req));
  return new Response(null, { status: 204 });
});
