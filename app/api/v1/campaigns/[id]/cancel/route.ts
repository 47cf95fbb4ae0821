// POST /api/v1/campaigns/:id/cancel — cancels a running or paused campaign.
import { withApiKey } from "@/lib/api-v1/handler";
import { cancelCampaign } from "@/lib/campaigns/control";

export const POST = withApiKey<{ id: string }>("campaigns:manage", async (_req, { principal, params }) =>
  Response.json({ campaign: await cancelCampaign(principal.userId, params.id) }),
);
