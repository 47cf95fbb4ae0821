// POST /api/v1/campaigns/:id/start — starts a draft now, or at startAt (the body is optional).
import { parseBody } from "@/lib/api/handler";
import { withApiKey } from "@/lib/api-v1/handler";
import { startCampaign } from "@/lib/campaigns/control";
import { campaignStartBody } from "@/lib/validation/campaigns";

export const POST = withApiKey<{ id: string }>("campaigns:manage", async (req, { principal, params }) => {
  const body = req.headers.has("content-type") ? await parseBody(req, campaignStartBody) : {};
  return Response.json({ campaign: await startCampaign(principal.userId, params.id, body.startAt) });
});
