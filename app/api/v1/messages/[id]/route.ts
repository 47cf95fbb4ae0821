// GET /api/v1/messages/:id — one message with its per-recipient outcomes and timeline.
import { withApiKey } from "@/lib/api-v1/handler";
import { getMessageOrThrow } from "@/lib/messages/queries";

export const GET = withApiKey<{ id: string }>("messages:read", async (_req, { principal, params }) =>
  Response.json({ message: await getMessageOrThrow(principal.userId, params.id) }),
);
