// POST /api/campaigns/:id/resume — resumes the campaign (409 when it is not in a state that allows it).
import { withUser } from "@/lib/api/handler";
import { resumeCampaign } from "@/lib/campaigns/control";

export const POST = withUser<{ id: string }>(async (_req, { user, params }) =>
  Response.json({ campaign: await resumeCampaign(user.id, params.id) }),
);
