// GET /api/campaigns/:id — a campaign, its progress and import report; PATCH — change a draft; DELETE.
import { parseBody, withUser } from "@/lib/api/handler";
import {
  deleteCampaign,
  getCampaignOrThrow,
  importReportOf,
  updateCampaign,
} from "@/lib/campaigns/campaigns";
import { campaignPatch } from "@/lib/validation/campaigns";

type Params = { id: string };

export const GET = withUser<Params>(async (_req, { user, params }) => {
  const campaign = await getCampaignOrThrow(user.id, params.id);
  return Response.json({ campaign, report: await importReportOf(campaign.id) });
});

export const PATCH = withUser<Params>(async (req, { user, params }) => {
  const patch = await parseBody(req, campaignPatch, { maxBytes: 6 * 1024 * 1024 });
  return Response.json({ campaign: await updateCampaign(user.id, params.id, patch) });
});

export const DELETE = withUser<Params>(async (_req, { user, params }) => {
  await deleteCampaign(user.id, params.id);
  return new Response(null, { status: 204 });
});
