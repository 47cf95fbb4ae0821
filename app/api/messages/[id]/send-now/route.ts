// POST /api/messages/:id/send-now — send a scheduled message now instead of at its time; 409 once it has gone.
import { withUser } from "@/lib/api/handler";
import { sendMessageNow } from "@/lib/messages/control";

export const POST = withUser<{ id: string }>(async (_req, { user, params }) =>
  Response.json({ message: await sendMessageNow(user.id, params.id) }),
);
