// POST /api/v1/messages — send a message (Idempotency-Key header); GET — the account's messages, newest first.
import { validationError } from "@/lib/api/handler";
import { withApiKey } from "@/lib/api-v1/handler";
import { sendThroughApi } from "@/lib/api-v1/send";
import { listMessages } from "@/lib/messages/queries";
import { listMessagesQuery } from "@/lib/validation/messages";

export const POST = withApiKey("messages:send", async (req, { principal }) => {
  const { message, replayed } = await sendThroughApi(req, principal.userId);
  return Response.json({ message, replayed }, { status: replayed ? 200 : 202 });
});

export const GET = withApiKey("messages:read", async (req, { principal }) => {
  const query = listMessagesQuery.safeParse(Object.fromEntries(new URL(req.url).searchParams));
  if (!query.success) throw validationError(query.error);
  return Response.json(await listMessages(principal.userId, query.data));
});
