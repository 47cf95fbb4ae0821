// GET /api/v1/webhooks/:id/deliveries — this webhook's deliveries, newest first, each with its attempts.
import { validationError } from "@/lib/api/handler";
import { withApiKey } from "@/lib/api-v1/handler";
import { listDeliveriesQuery } from "@/lib/validation/webhooks";
import { listDeliveries } from "@/lib/webhooks/endpoints";

export const GET = withApiKey<{ id: string }>("webhooks:manage", async (req, { principal, params }) => {
  const query = listDeliveriesQuery.safeParse(Object.fromEntries(new URL(req.url).searchParams));
  if (!query.success) throw validationError(query.error);
  return Response.json(await listDeliveries(principal.userId, params.id, query.data));
});
