// GET /api/campaigns/:id/recipients?status=&after=&limit= — per-recipient results in file order.
import { validationError, withUser } from "@/lib/api/handler";
import { listRecipientResults } from "@/lib/campaigns/results";
import { campaignRecipientsQuery } from "@/lib/validation/campaigns";

export const GET = withUser<{ id: string }>(async (req, { user, params }) => {
  const query = campaignRecipientsQuery.safeParse(Object.fromEntries(new URL(req.url).searchParams));
  if (!query.success) throw validationError(query.error);
  return Response.json({ recipients: await listRecipientResults(user.id, params.id, query.data) });
});
