// POST /api/webhooks/:id/test — "Send test event" in Settings.
import { withUser } from "@/lib/api/handler";
import { sendTestEvent } from "@/lib/webhooks/endpoints";

export const POST = withUser<{ id: string }>(async (_req, { user, params }) => {
  await sendTestEvent(user.id, params.id);
  return Response.json({ queued: true }, { status: 202 });
});
