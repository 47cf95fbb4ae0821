// GET /api/v1/webhooks — the account's webhooks; POST — add one (its signing secret is in this answer only).
import { parseBody } from "@/lib/api/handler";
import { withApiKey } from "@/lib/api-v1/handler";
import { createWebhookBody } from "@/lib/validation/webhooks";
import { createWebhook, listWebhooks } from "@/lib/webhooks/endpoints";

export const GET = withApiKey("webhooks:manage", async (_req, { principal }) =>
  Response.json({ webhooks: await listWebhooks(principal.userId) }),
);

export const POST = withApiKey("webhooks:manage", async (req, { principal }) =>
  Response.json(await createWebhook(principal.userId, await parseBody(req, createWebhookBody)), {
    status: 201,
    headers: { "Cache-Control": "no-store" },
  }),
);
