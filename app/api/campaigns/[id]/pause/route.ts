// POST /api/campaigns/:id/pause — pauses the campaign: messages not yet claimed are taken back (409 when it is not in a state that allows it).
import { withUser } from "@/lib/api/handler";
import { pauseCampaign } from "@/lib/campaigns/control";

export const POST = withUser<{ id: string }>(async (_req, { user, params }) =>
  Response.json({ campaign: await pauseCampaign(user.id, params.id) }),
);
