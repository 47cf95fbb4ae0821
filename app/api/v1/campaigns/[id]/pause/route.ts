// POST /api/v1/campaigns/:id/pause — pauses a running campaign (rows not yet taken wait).
import { withApiKey } from "@/lib/api-v1/handler";
import { pauseCampaign } from "@/lib/campaigns/control";

export const POST = withApiKey<{ id: string }>("campaigns:manage", async (_req, { principal, params }) =>
  Response.json({ campaign: await pauseCampaign(principal.userId, params.id) }),
);
