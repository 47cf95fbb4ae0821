// GET /api/v1/campaigns/:id — a campaign, its progress and import report; PATCH — change a draft; DELETE.
import { parseBody } from "@/lib/api/handler";
import { withApiKey } from "@/lib/api-v1/handler";
import {
  deleteCampaign,
  getCampaignOrThrow,
  importReportOf,
  updateCampaign,
} from "@/lib/campaigns/campaigns";
import { campaignPatch } from "@/lib/validation/campaigns";

type Params = { id: string };

export const GET = withApiKey<Params>("campaigns:manage", async (_req, { principal, params }) => {
  const campaign = await getCampaignOrThrow(principal.userId, params.id);
  return Response.json({ campaign, report: await importReportOf(campaign.id) });
});

export const PATCH = withApiKey<Params>("campaigns:manage", async (req, { principal, params }) => {
  const patch = await parseBody(req, campaignPatch, { maxBytes: 6 * 1024 * 1024 });
  return Response.json({ campaign: await updateCampaign(principal.userId, params.id, patch) });
});

export const DELETE = withApiKey<Params>("campaigns:manage", async (_req, { principal, params }) => {
  await deleteCampaign(principal.userId, params.id);
  return new Response(null, { status: 204 });
});
