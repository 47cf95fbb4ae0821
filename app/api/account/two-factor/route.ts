// GET /api/account/two-factor — whether two-factor sign-in is on, and recovery codes left;
// POST — confirm the offered secret with a code (turns it on, returns the recovery codes once);
// DELETE — turn it off (password and a code required).
import { parseBody, withUser } from "@/lib/api/handler";
import { requestMeta } from "@/lib/audit/events";
import { confirmTwoFactor, disableTwoFactor, getTwoFactorStatus } from "@/lib/auth/two-factor";
import { twoFactorConfirmBody, twoFactorDisableBody } from "@/lib/validation/auth";

export const GET = withUser(async (_req, { user }) => Response.json(await getTwoFactorStatus(user.id)));

export const POST = withUser(async (req, { user }) => {
  const { code } = await parseBody(req, twoFactorConfirmBody);
  const recoveryCodes = await confirmTwoFactor(user.id, code, requestMeta(req));
  return Response.json({ enabled: true, recoveryCodes }, { headers: { "Cache-Control": "no-store" } });
});

export const DELETE = withUser(async (req, { user }) => {
  await disableTwoFactor(user.id, await parseBody(req, twoFactorDisableBody), requestMeta(req));
  return new Response(null, { status: 204 });
});
