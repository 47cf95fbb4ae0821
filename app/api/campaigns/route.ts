// GET /api/campaigns — the user's campaigns with their progress; POST /api/campaigns — import a CSV (text/csv,
// at most 10 MB) as a draft campaign: ?name=…&emailColumn=… are optional.
import { withUser } from "@/lib/api/handler";
import { listCampaigns } from "@/lib/campaigns/campaigns";
import { importCampaignFromRequest } from "@/lib/campaigns/import-request";

export const GET = withUser(async (_req, { user }) =>
  Response.json({ campaigns: await listCampaigns(user.id) }),
);

export const POST = withUser(async (req, { user }) =>
  Response.json(await importCampaignFromRequest(user.id, req), { status: 201 }),
);
