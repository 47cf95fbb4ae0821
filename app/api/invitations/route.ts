// GET /api/invitations — the admin's invitations; POST /api/invitations — a new single-use sign-up link
// (optionally for one email address, which is then mailed). Admin only (403 for other users).
import { parseBody, withUser } from "@/lib/api/handler";
import { requestMeta } from "@/lib/audit/events";
import { createInvitation, listInvitations } from "@/lib/invitations/invitations";
import { createInvitationBody } from "@/lib/validation/auth";

export const GET = withUser(async (_req, { user }) =>
  Response.json({ invitations: await listInvitations(user.id) }),
);

export const POST = withUser(async (req, { user }) => {
  const input = await parseBody(req, createInvitationBody);
  return Response.json(await createInvitation(user.id, input, requestMeta(req)), { status: 201 });
});
