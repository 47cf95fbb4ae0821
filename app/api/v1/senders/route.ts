// GET /api/v1/senders — the account's senders, to choose a senderId from; never their passwords or servers.
import { withApiKey } from "@/lib/api-v1/handler";
import { listSenders } from "@/lib/senders/senders";

export const GET = withApiKey("senders:read", async (_req, { principal }) => {
  const senders = await listSenders(principal.userId);
  return Response.json({
    senders: senders.map((s) => ({
      id: s.id,
      kind: s.kind,
      label: s.label,
      fromName: s.fromName,
      fromEmail: s.fromEmail,
      signInFailed: s.signInFailed,
      createdAt: s.createdAt,
    })),
  });
});
