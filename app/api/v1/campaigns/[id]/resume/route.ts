// POST /api/v1/campaigns/:id/resume — resumes a paused campaign.
import { withApiKey } from "@/lib/api-v1/handler";
import { resumeCampaign } from "@/lib/campaigns/control";

export const POST = withApiKey<{ id: string }>("campaigns:manage", async (_req, { principal, params }) =>
  Response.json({ campaign: await resumeCampaign(principal.userId, params.id) }),
);
