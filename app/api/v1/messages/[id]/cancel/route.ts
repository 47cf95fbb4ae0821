// POST /api/v1/messages/:id/cancel — cancel a message while it waits (undo window, schedule); 409 once it went.
import { withApiKey } from "@/lib/api-v1/handler";
import { cancelMessage } from "@/lib/messages/control";

export const POST = withApiKey<{ id: string }>("messages:send", async (_req, { principal, params }) =>
  Response.json({ message: await cancelMessage(principal.userId, params.id) }),
);
