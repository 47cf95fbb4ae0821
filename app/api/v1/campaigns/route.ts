// GET /api/v1/campaigns — the account's campaigns with their progress; POST — import a CSV as a draft.
import { withApiKey } from "@/lib/api-v1/handler";
import { listCampaigns } from "@/lib/campaigns/campaigns";
import { importCampaignFromRequest } from "@/lib/campaigns/import-request";

export const GET = withApiKey("campaigns:manage", async (_req, { principal }) =>
  Response.json({ campaigns: await listCampaigns(principal.userId) }),
);

export const POST = withApiKey("campaigns:manage", async (req, { principal }) =>
  Response.json(await importCampaignFromRequest(principal.userId, req), { status: 201 }),
);
