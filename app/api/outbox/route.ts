// POST /api/outbox — a device's offline outbox in one request: each message enqueued (idempotently) as POST
// /api/messages would, each with its own answer (lib/messages/enqueue-batch.ts).
import { parseBody, withUser } from "@/lib/api/handler";
import { enqueueBatch } from "@/lib/messages/enqueue-batch";
import { MAX_OUTBOX_BATCH_BYTES, outboxBatchBody } from "@/lib/validation/messages";

export const POST = withUser(async (req, { user }) => {
  const { messages } = await parseBody(req, outboxBatchBody, { maxBytes: MAX_OUTBOX_BATCH_BYTES });
  return Response.json({ results: await enqueueBatch(user, messages) });
});
