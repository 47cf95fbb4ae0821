// GET /api/account/api-keys — the user's API keys (never the keys themselves); POST — create one (password or
// two-factor code required), answered with the key once.
import { parseBody, withUser } from "@/lib/api/handler";
import { createApiKey, listApiKeys } from "@/lib/api-keys/keys";
import { requestMeta } from "@/lib/audit/events";
import { createApiKeyBody } from "@/lib/validation/api-keys";

export const GET = withUser(async (_req, { user }) => Response.json({ apiKeys: await listApiKeys(user.id) }));

export const POST = withUser(async (req, { user }) =>
  Response.json(await createApiKey(user.id, await parseBody(req, createApiKeyBody), requestMeta(req)), {
    status: 201,
    headers: { "Cache-Control": "no-store" },
  }),
);
