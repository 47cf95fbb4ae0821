// POST /api/senders/:id/test — a real SMTP handshake (connect, TLS, auth) with a plain-words verdict.
import { withUser } from "@/lib/api/handler";
import { testSenderConnection } from "@/lib/senders/test-connection";

export const POST = withUser<{ id: string }>(async (_req, { user, params }) =>
  Response.json({ result: await testSenderConnection(user.id, params.id) }),
);
