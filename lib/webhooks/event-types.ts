// The events SecureVault sends to webhooks, by name. Plain constants (no zod), so Settings can list them without
// the schemas; lib/webhooks/events.ts describes each one's payload.
export const WEBHOOK_EVENT_TYPES = [
  "message.queued",
  "message.sent",
  "message.partially_delivered",
  "message.failed",
  "message.deferred",
  "campaign.started",
  "campaign.paused",
  "campaign.finished",
  "recipient.unsubscribed",
  "webhook.test",
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** What a user may subscribe to; "webhook.test" goes only to the endpoint it was asked for. */
export const SUBSCRIBABLE_EVENT_TYPES = WEBHOOK_EVENT_TYPES.filter((t) => t !== "webhook.test") as Exclude<
  WebhookEventType,
  "webhook.test"
>[];

/** The outcomes chat notifications (Slack, Discord) may be about. */
export const CHAT_EVENT_TYPES = [
  "message.failed",
  "message.partially_delivered",
  "message.deferred",
  "campaign.finished",
] as const;

export const EVENT_DESCRIPTIONS: Record<WebhookEventType, string> = {
  "message.queued": "A message was accepted for sending (by the app or the API).",
  "message.sent": "Every recipient's server accepted the message.",
  "message.partially_delivered": "Some recipients accepted the message, others refused it for good.",
  "message.failed": "SecureVault gave up on the message.",
  "message.deferred": "A temporary failure: SecureVault will try again (or waits for a sender's password).",
  "campaign.started":
    "A campaign started (its scheduled start was set, or it sends now), or resumed after a pause.",
  "campaign.paused": "A campaign was paused: its rows not yet taken wait for Resume.",
  "campaign.finished": "A campaign ended: every row settled (status done), or it was cancelled.",
  "recipient.unsubscribed":
    "A campaign's recipient unsubscribed (one click): later campaigns skip the address.",
  "webhook.test": 'Sent by "Send test event".',
};

export function isWebhookEventType(value: unknown): value is WebhookEventType {
  return typeof value === "string" && (WEBHOOK_EVENT_TYPES as readonly string[]).includes(value);
}
