// POST /api/senders/:id/test — a real SMTP handshake (connect, TLS, auth) with a plain-words verdict; rate limited.
import { withUser } from "@/lib/api/handler";
import { limits } from "@/lib/rate-limit/limits";
import { testSenderConnection } from "@/lib/senders/test-connection";

export const POST = withUser<{ id: string }>(async (_req, { user, params }) => {
  await limits.testConnection.consumeOrThrow(
    `user:${user.id}`,
    "Too many connection tests. Wait a few minutes and try again.",
  );
  return Response.json({ result: await testSenderConnection(user.id, params.id) });
});
