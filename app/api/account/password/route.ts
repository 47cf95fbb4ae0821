// POST /api/account/password — change the password (current one required, rate limited); other sessions end,
// this device gets a fresh session cookie.
import { parseBody, withUser } from "@/lib/api/handler";
import { requestMeta } from "@/lib/audit/events";
import { changePassword } from "@/lib/auth/account-security";
import { issueSessionCookie } from "@/lib/auth/session-cookie";
import { changePasswordBody } from "@/lib/validation/auth";

export const POST = withUser(async (req, { user }) => {
  const updated = await changePassword(user.id, await parseBody(req, changePasswordBody), requestMeta(req));
  return Response.json({ ok: true }, { headers: { "Set-Cookie": await issueSessionCookie(updated) } });
});
