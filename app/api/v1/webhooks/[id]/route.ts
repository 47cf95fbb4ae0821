// GET/PATCH/DELETE /api/v1/webhooks/:id — read, change (events, URL, on/off, rotate the secret) or delete a webhook.
import { parseBody } from "@/lib/api/handler";
import { withApiKey } from "@/lib/api-v1/handler";
import { updateWebhookBody } from "@/lib/validation/webhooks";
import { deleteWebhook, getWebhookOrThrow, updateWebhook } from "@/lib/webhooks/endpoints";

export const GET = withApiKey<{ id: string }>("webhooks:manage", async (_req, { principal, params }) =>
  Response.json({ webhook: await getWebhookOrThrow(principal.userId, params.id) }),
);

export const PATCH = withApiKey<{ id: string }>("webhooks:manage", async (req, { principal, params }) =>
  Response.json(await updateWebhook(principal.userId, params.id, await parseBody(req, updateWebhookBody)), {
    headers: { "Cache-Control": "no-store" },
  }),
);

export const DELETE = withApiKey<{ id: string }>("webhooks:manage", async (_req, { principal, params }) => {
  await deleteWebhook(principal.userId, params.id);
  return new Response(null, { status: 204 });
});
