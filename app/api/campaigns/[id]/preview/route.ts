// GET /api/campaigns/:id/preview?position=N — row N filled into the campaign's template, as its recipient gets it.
import { ApiError } from "@/lib/api/errors";
import { withUser } from "@/lib/api/handler";
import { findCampaignOrThrow } from "@/lib/campaigns/campaigns";
import { toAiApiError } from "@/lib/ai/errors";
import { AI_OPENING_VARIABLE, openingLineOf } from "@/lib/campaigns/ai-opening";
import { compiledCampaignTemplate } from "@/lib/campaigns/rendering";
import { unsubscribeFooter } from "@/lib/campaigns/unsubscribe";
import { db } from "@/lib/db/client";
import { validationError } from "@/lib/api/handler";
import { renderTemplate } from "@/lib/templates/render";
import { campaignPreviewQuery } from "@/lib/validation/campaigns";

export const GET = withUser<{ id: string }>(async (req, { user, params }) => {
  const query = campaignPreviewQuery.safeParse(Object.fromEntries(new URL(req.url).searchParams));
  if (!query.success) throw validationError(query.error);
  const campaign = await findCampaignOrThrow(user.id, params.id);
  const row = await db.campaignRecipient.findUnique({
    where: { campaignId_position: { campaignId: campaign.id, position: query.data.position } },
  });
  if (!row) throw new ApiError("not_found", `The file has no row ${query.data.position}.`);
  // Personalised: the row's AI opening line, written now if it has none yet and kept for the send.
  let aiOpening: string | null = null;
  let aiOpeningError: string | null = null;
  if (campaign.aiOpeningEnabled) {
    try {
      aiOpening = await openingLineOf(campaign, row, req.signal);
    } catch (error) {
      aiOpeningError = toAiApiError(error).message;
    }
  }
  const values = row.values as Record<string, string>;
  let rendered;
  try {
    rendered = renderTemplate(
      compiledCampaignTemplate(campaign),
      aiOpening === null ? values : { ...values, [AI_OPENING_VARIABLE]: aiOpening },
    );
  } catch (error) {
    throw new ApiError("validation_failed", `The template could not be filled: ${(error as Error).message}`);
  }
  const total = await db.campaignRecipient.count({ where: { campaignId: campaign.id } });
  return Response.json({
    position: row.position,
    total,
    to: row.email,
    status: row.status,
    reason: row.reason,
    values: row.values,
    subject: rendered.subject,
    html: rendered.html + unsubscribeFooter(row.id),
    aiOpening,
    aiOpeningError,
  });
});
