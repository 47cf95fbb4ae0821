// POST /api/campaigns/:id/start — starts a draft now or at startAt; its rows go at the sender's pace.
import { parseBody, withUser } from "@/lib/api/handler";
import { startCampaign } from "@/lib/campaigns/control";
import { campaignStartBody } from "@/lib/validation/campaigns";

export const POST = withUser<{ id: string }>(async (req, { user, params }) => {
  // The body is optional: none starts the campaign now.
  const body = req.headers.has("content-type") ? await parseBody(req, campaignStartBody) : {};
  return Response.json({ campaign: await startCampaign(user.id, params.id, body.startAt) });
});
