import "server-only";
// Start, pause, resume and cancel (pausing itself: lib/campaigns/pausing.ts).
import { ApiError } from "@/lib/api/errors";
import { findCampaignOrThrow, getCampaignOrThrow, type CampaignView } from "@/lib/campaigns/campaigns";
import { feedCampaignNow, prepareFirstRows, writeQueuedRows } from "@/lib/campaigns/feeder";
import { db } from "@/lib/db/client";
import { wakeDeliveryWorker } from "@/lib/delivery/wake";
import { compileTemplate } from "@/lib/templates/render";
import { aiConfigured } from "@/lib/ai/client";
import { AI_OPENING_VARIABLE } from "@/lib/campaigns/ai-opening";
import { commitCampaignEvent, pauseRunningCampaign, takeBackUnclaimed } from "@/lib/campaigns/pausing";
import { announceWebhookEvents } from "@/lib/webhooks/outbox";

export async function startCampaign(userId: string, id: string, startAt?: string): Promise<CampaignView> {
  const campaign = await findCampaignOrThrow(userId, id);
  if (campaign.status !== "draft") throw new ApiError("conflict", "This campaign has already started.");
  if (!campaign.senderId) {
    throw new ApiError("validation_failed", "Choose a sender first.", {
      fields: { senderId: ["Choose a sender."] },
    });
  }
  if (!campaign.subject.trim() || !campaign.html.trim()) {
    throw new ApiError("validation_failed", "Write a subject and a body, or choose a template.", {
      fields: { [campaign.subject.trim() ? "html" : "subject"]: ["Required before the campaign starts."] },
    });
  }
  // Checked when saved; a campaign never starts with a template that cannot parse.
  const { variables } = compileTemplate(campaign);
  if (campaign.aiOpeningEnabled) assertAiOpeningUsable(variables);
  const sender = await db.sender.findFirst({ where: { id: campaign.senderId, userId } });
  if (!sender) throw new ApiError("validation_failed", "The campaign's sender was removed. Choose another.");
  const pending = await db.campaignRecipient.count({ where: { campaignId: id, status: "pending" } });
  if (pending === 0)
    throw new ApiError("validation_failed", "No row of this campaign has a valid address to send to.");
  const now = new Date();
  const scheduled = startAt ? new Date(startAt) : null;
  // The first rows are rendered now and queued by the transaction that starts the campaign (unless it starts
  // later): the first message can leave the moment it commits.
  // With AI opening lines, the worker's feeder writes them: Start does not wait for the model.
  const first =
    (scheduled && scheduled > now) || campaign.aiOpeningEnabled
      ? null
      : await prepareFirstRows(campaign, sender, now);
  const started = await db.$transaction(async (tx) => {
    const changed = await tx.campaign.updateMany({
      where: { id, userId, status: "draft" },
      data: { status: "running", startedAt: now, startAt: scheduled },
    });
    if (changed.count === 0) return false;
    // Each row's Message-ID is fixed by its id and this sender's domain (lib/campaigns/feeder.ts writes it
    // to the ledger as the row is queued; the sender cannot change once the campaign has started).
    if (first) await writeQueuedRows(tx, id, sender, first, now);
    return commitCampaignEvent(tx, "campaign.started", { ...campaign, status: "running" });
  });
  if (started === false) throw new ApiError("conflict", "This campaign has already started.");
  announceWebhookEvents([started]);
  if (first && first.messages.length > 0) wakeDeliveryWorker();
  return getCampaignOrThrow(userId, id);
}

/** A personalised campaign needs AI, and a template that shows the line: never sent without it unnoticed. */
function assertAiOpeningUsable(variables: string[]): void {
  if (!aiConfigured()) {
    throw new ApiError("validation_failed", "AI is not configured: turn the AI opening line off to send.", {
      fields: { aiOpeningEnabled: ["AI is not configured on this server."] },
    });
  }
  if (!variables.includes(AI_OPENING_VARIABLE)) {
    throw new ApiError(
      "validation_failed",
      `Put {{ ${AI_OPENING_VARIABLE} }} in the template where the AI opening line goes, or turn it off.`,
      { fields: { html: [`The template does not use {{ ${AI_OPENING_VARIABLE} }}.`] } },
    );
  }
}

export async function pauseCampaign(userId: string, id: string): Promise<CampaignView> {
  const campaign = await findCampaignOrThrow(userId, id);
  if (!(await pauseRunningCampaign(campaign, null))) {
    throw new ApiError("conflict", "Only a running campaign can be paused.");
  }
  return getCampaignOrThrow(userId, id);
}

export async function resumeCampaign(userId: string, id: string): Promise<CampaignView> {
  const campaign = await findCampaignOrThrow(userId, id);
  const event = await db.$transaction(async (tx) => {
    const changed = await tx.campaign.updateMany({
      where: { id, userId, status: "paused" },
      data: { status: "running", pausedReason: null },
    });
    if (changed.count === 0) throw new ApiError("conflict", "Only a paused campaign can be resumed.");
    // Resuming is starting again: receivers see the same event as for the first start.
    return commitCampaignEvent(tx, "campaign.started", { ...campaign, status: "running" });
  });
  announceWebhookEvents([event]);
  // With AI opening lines, the worker's feeder writes them: a request does not wait for the model.
  if (!campaign.aiOpeningEnabled) await feedCampaignNow(id);
  return getCampaignOrThrow(userId, id);
}

export async function cancelCampaign(userId: string, id: string): Promise<CampaignView> {
  const campaign = await findCampaignOrThrow(userId, id);
  const now = new Date();
  const event = await db.$transaction(async (tx) => {
    const changed = await tx.campaign.updateMany({
      where: { id, userId, status: { in: ["running", "paused"] } },
      data: { status: "cancelled", finishedAt: now },
    });
    if (changed.count === 0)
      throw new ApiError("conflict", "Only a running or paused campaign can be cancelled.");
    const reason = "The campaign was cancelled.";
    await takeBackUnclaimed(tx, id, { status: "cancelled", reason });
    await tx.campaignRecipient.updateMany({
      where: { campaignId: id, status: "pending" },
      data: { status: "cancelled", reason },
    });
    return commitCampaignEvent(tx, "campaign.finished", { ...campaign, status: "cancelled" });
  });
  announceWebhookEvents([event]);
  return getCampaignOrThrow(userId, id);
}
