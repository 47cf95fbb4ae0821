// DELETE /api/account/sessions — sign out everywhere: every session of the user ends, this one included.
import { withUser } from "@/lib/api/handler";
import { requestMeta } from "@/lib/audit/events";
import { signOutEverywhere } from "@/lib/auth/account-security";
import { clearSessionCookie } from "@/lib/auth/session-cookie";

export const DELETE = withUser(async (req, { user }) => {
  await signOutEverywhere(user.id, requestMeta(req));
  return new Response(null, { status: 204, headers: { "Set-Cookie": clearSessionCookie() } });
});
