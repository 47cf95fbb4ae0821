// POST /api/campaigns/:id/cancel — cancels the campaign: rows not yet sent never go (409 when it is not in a state that allows it).
import { withUser } from "@/lib/api/handler";
import { cancelCampaign } from "@/lib/campaigns/control";

export const POST = withUser<{ id: string }>(async (_req, { user, params }) =>
  Response.json({ campaign: await cancelCampaign(user.id, params.id) }),
);
