// GET /api/push/preferences — which outcomes notify the user; PATCH — change some of them.
import { parseBody, withUser } from "@/lib/api/handler";
import { getPushPreferences, updatePushPreferences } from "@/lib/push/preferences";
import { env } from "@/lib/env";
import { updatePushPreferencesBody } from "@/lib/validation/push";

export const GET = withUser(async (_req, { user }) =>
  Response.json({
    preferences: await getPushPreferences(user.id),
    retryNotifyAfter: env.PUSH_RETRY_NOTIFY_AFTER,
  }),
);

export const PATCH = withUser(async (req, { user }) =>
  Response.json({
    preferences: await updatePushPreferences(user.id, await parseBody(req, updatePushPreferencesBody)),
    retryNotifyAfter: env.PUSH_RETRY_NOTIFY_AFTER,
  }),
);
