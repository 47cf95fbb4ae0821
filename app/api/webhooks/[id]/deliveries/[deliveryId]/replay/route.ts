// POST /api/webhooks/:id/deliveries/:deliveryId/replay — "Replay" in Settings: send that event again.
import { withUser } from "@/lib/api/handler";
import { replayDelivery } from "@/lib/webhooks/endpoints";

export const POST = withUser<{ id: string; deliveryId: string }>(async (_req, { user, params }) =>
  Response.json({ delivery: await replayDelivery(user.id, params.id, params.deliveryId) }, { status: 202 }),
);
