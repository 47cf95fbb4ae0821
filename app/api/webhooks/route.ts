// GET /api/webhooks — the user's webhooks (Settings); POST — add one (its signing secret is in this answer only).
import { parseBody, withUser } from "@/lib/api/handler";
import { createWebhookBody } from "@/lib/validation/webhooks";
import { createWebhook, listWebhooks } from "@/lib/webhooks/endpoints";

export const GET = withUser(async (_req, { user }) =>
  Response.json({ webhooks: await listWebhooks(user.id) }),
);

export const POST = withUser(async (req, { user }) =>
  Response.json(await createWebhook(user.id, await parseBody(req, createWebhookBody)), {
    status: 201,
    headers: { "Cache-Control": "no-store" },
  }),
);
