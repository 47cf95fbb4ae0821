// GET /api/webhooks/:id/deliveries — the webhook's recent deliveries and their attempts (Settings).
import { validationError, withUser } from "@/lib/api/handler";
import { listDeliveriesQuery } from "@/lib/validation/webhooks";
import { listDeliveries } from "@/lib/webhooks/endpoints";

export const GET = withUser<{ id: string }>(async (req, { user, params }) => {
  const query = listDeliveriesQuery.safeParse(Object.fromEntries(new URL(req.url).searchParams));
  if (!query.success) throw validationError(query.error);
  return Response.json(await listDeliveries(user.id, params.id, query.data));
});
