// PATCH/DELETE /api/webhooks/:id — change (events, URL, on/off, rotate the secret) or delete a webhook (Settings).
import { parseBody, withUser } from "@/lib/api/handler";
import { updateWebhookBody } from "@/lib/validation/webhooks";
import { deleteWebhook, updateWebhook } from "@/lib/webhooks/endpoints";

export const PATCH = withUser<{ id: string }>(async (req, { user, params }) =>
  Response.json(await updateWebhook(user.id, params.id, await parseBody(req, updateWebhookBody)), {
    headers: { "Cache-Control": "no-store" },
  }),
);

export const DELETE = withUser<{ id: string }>(async (_req, { user, params }) => {
  await deleteWebhook(user.id, params.id);
  return new Response(null, { status: 204 });
});
