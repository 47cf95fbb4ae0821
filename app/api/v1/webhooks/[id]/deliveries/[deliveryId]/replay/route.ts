// POST /api/v1/webhooks/:id/deliveries/:deliveryId/replay — send that event again (same webhook-id).
import { withApiKey } from "@/lib/api-v1/handler";
import { replayDelivery } from "@/lib/webhooks/endpoints";

export const POST = withApiKey<{ id: string; deliveryId: string }>(
  "webhooks:manage",
  async (_req, { principal, params }) =>
    Response.json(
      { delivery: await replayDelivery(principal.userId, params.id, params.deliveryId) },
      { status: 202 },
    ),
);
