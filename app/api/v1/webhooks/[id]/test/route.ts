// POST /api/v1/webhooks/:id/test — queue a "webhook.test" event for this webhook alone.
import { withApiKey } from "@/lib/api-v1/handler";
import { sendTestEvent } from "@/lib/webhooks/endpoints";

export const POST = withApiKey<{ id: string }>("webhooks:manage", async (_req, { principal, params }) => {
  await sendTestEvent(principal.userId, params.id);
  return Response.json({ queued: true }, { status: 202 });
});
