import "server-only";
import type { DeliveryOutcome } from "@/lib/delivery/outcomes";
import type { WebhookEventType } from "@/lib/webhooks/event-types";
import { webhookEventFor, type OutboxEvent } from "@/lib/webhooks/outbox";

// What each webhook event holds (lib/webhooks/events.ts describes the shapes), made as outbox rows
// (lib/webhooks/outbox.ts) for the caller to commit with the change the event reports.

/** The webhook event a delivery outcome is. */
export function eventTypeOf(outcome: Pick<DeliveryOutcome, "kind" | "refused">): WebhookEventType {
  switch (outcome.kind) {
    case "delivered":
      return outcome.refused?.length ? "message.partially_delivered" : "message.sent";
    case "failed":
      return "message.failed";
    case "retrying":
    case "sign-in-failed":
      return "message.deferred";
  }
}

/** A delivery outcome's event, to write with the outcome (lib/delivery/attempt-outcome.ts and others). */
export function outcomeEventFor(
  outcome: DeliveryOutcome,
  now?: Date,
  client?: Parameters<typeof webhookEventFor>[4],
): Promise<OutboxEvent | null> {
  return webhookEventFor(
    outcome.userId,
    eventTypeOf(outcome),
    {
      messageId: outcome.messageId,
      subject: outcome.subject,
      attempts: outcome.attempts,
      accepted: outcome.kind === "delivered" ? outcome.accepted : [],
      refused: outcome.refused ?? [],
      reason: outcome.reason,
    },
    now,
    client,
  );
}

/** "message.queued", written with the message (lib/messages/enqueue.ts). */
export function queuedEventFor(message: {
  id: string;
  userId: string;
  subject: string;
  recipientCount: number;
  sendAt: Date | null;
  createdAt: Date;
}): Promise<OutboxEvent | null> {
  return webhookEventFor(
    message.userId,
    "message.queued",
    {
      messageId: message.id,
      subject: message.subject,
      recipientCount: message.recipientCount,
      sendAt: message.sendAt?.toISOString() ?? null,
    },
    message.createdAt,
  );
}

export type CampaignEventType = "campaign.started" | "campaign.paused" | "campaign.finished";

/** A campaign's start, pause or end (done or cancelled), written with its new status (lib/campaigns). */
export function campaignEventFor(
  type: CampaignEventType,
  campaign: { id: string; userId: string; name: string; status: string },
  client?: Parameters<typeof webhookEventFor>[4],
): Promise<OutboxEvent | null> {
  return webhookEventFor(
    campaign.userId,
    type,
    { campaignId: campaign.id, name: campaign.name, status: campaign.status },
    new Date(),
    client,
  );
}

/** A recipient's one-click unsubscribe, written with the suppression (lib/campaigns/unsubscribe-action.ts). */
export function unsubscribedEventFor(
  target: { userId: string; email: string; recipientId: string; campaignId: string; campaignName: string },
  client?: Parameters<typeof webhookEventFor>[4],
): Promise<OutboxEvent | null> {
  return webhookEventFor(
    target.userId,
    "recipient.unsubscribed",
    {
      email: target.email,
      campaignId: target.campaignId,
      campaignName: target.campaignName,
      recipientId: target.recipientId,
    },
    new Date(),
    client,
  );
}
