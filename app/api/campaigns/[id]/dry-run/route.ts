// POST /api/campaigns/:id/dry-run — renders every row that would go and lists what a recipient would notice.
import { withUser } from "@/lib/api/handler";
import { dryRunCampaign } from "@/lib/campaigns/dry-run";

export const POST = withUser<{ id: string }>(async (_req, { user, params }) =>
  Response.json({ dryRun: await dryRunCampaign(user.id, params.id) }),
);
