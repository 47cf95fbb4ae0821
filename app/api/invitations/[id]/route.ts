// DELETE /api/invitations/:id — revoke a pending invitation (its link stops working). Admin only.
import { withUser } from "@/lib/api/handler";
import { requestMeta } from "@/lib/audit/events";
import { revokeInvitation } from "@/lib/invitations/invitations";

export const DELETE = withUser<{ id: string }>(async (req, { user, params }) =>
  Response.json({ invitation: await revokeInvitation(user.id, params.id, requestMeta(req)) }),
);
