// POST /api/account/two-factor/setup — offer a new authenticator secret (password required); it takes effect
// only once confirmed with a code (POST /api/account/two-factor).
import { parseBody, withUser } from "@/lib/api/handler";
import { requestMeta } from "@/lib/audit/events";
import { startTwoFactorSetup } from "@/lib/auth/two-factor";
import { twoFactorSetupBody } from "@/lib/validation/auth";

export const POST = withUser(async (req, { user }) => {
  const { password } = await parseBody(req, twoFactorSetupBody);
  const setup = await startTwoFactorSetup(user.id, password, requestMeta(req));
  return Response.json(setup, { headers: { "Cache-Control": "no-store" } });
});
