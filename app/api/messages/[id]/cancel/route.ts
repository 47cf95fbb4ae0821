// POST /api/messages/:id/cancel — Undo send / cancel a scheduled message while it waits; 409 once it has gone.
import { withUser } from "@/lib/api/handler";
import { cancelMessage } from "@/lib/messages/control";

export const POST = withUser<{ id: string }>(async (_req, { user, params }) =>
  Response.json({ message: await cancelMessage(user.id, params.id) }),
);
