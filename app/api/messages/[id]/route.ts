// GET /api/messages/:id — one message with its status timeline and the SMTP reply.
import { withUser } from "@/lib/api/handler";
import { getMessageOrThrow } from "@/lib/messages/queries";

export const GET = withUser<{ id: string }>(async (_req, { user, params }) =>
  Response.json({ message: await getMessageOrThrow(user.id, params.id) }),
);
