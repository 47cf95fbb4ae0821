// DELETE /api/account/api-keys/:id — revoke a key: requests with it are refused from now on.
import { withUser } from "@/lib/api/handler";
import { revokeApiKey } from "@/lib/api-keys/keys";
import { requestMeta } from "@/lib/audit/events";

export const DELETE = withUser<{ id: string }>(async (req, { user, params }) =>
  Response.json({ apiKey: await revokeApiKey(user.id, params.id, requestMeta(req)) }),
);
