// GET /api/push/subscriptions — the user's devices; POST — save this browser's subscription (upsert by endpoint).
import { parseBody, withUser } from "@/lib/api/handler";
import { listPushDevices, savePushSubscription } from "@/lib/push/subscriptions";
import { pushSubscriptionBody } from "@/lib/validation/push";

export const GET = withUser(async (_req, { user }) =>
  Response.json({ devices: await listPushDevices(user.id) }),
);

export const POST = withUser(async (req, { user }) => {
  const body = await parseBody(req, pushSubscriptionBody, { maxBytes: 8 * 1024 });
  const { device, created } = await savePushSubscription(user.id, body, req.headers.get("user-agent"));
  return Response.json({ device }, { status: created ? 201 : 200 });
});
