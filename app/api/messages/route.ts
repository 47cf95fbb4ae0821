// POST /api/messages — enqueue a message (idempotent); GET /api/messages — Sent, newest first, with search.
import { parseBody, validationError, withUser } from "@/lib/api/handler";
import { enqueueMessage } from "@/lib/messages/enqueue";
import { listMessages } from "@/lib/messages/queries";
import { listMessagesQuery, MAX_BODY_BYTES, sendMessageBody } from "@/lib/validation/messages";

export const POST = withUser(async (req, { user }) => {
  const { message, replayed } = await enqueueMessage(
    user,
    await parseBody(req, sendMessageBody, { maxBytes: MAX_BODY_BYTES + 256 * 1024 }),
  );
  return Response.json({ message, replayed }, { status: replayed ? 200 : 202 });
});

export const GET = withUser(async (req, { user }) => {
  const query = listMessagesQuery.safeParse(Object.fromEntries(new URL(req.url).searchParams));
  if (!query.success) throw validationError(query.error);
  return Response.json(await listMessages(user.id, query.data));
});
