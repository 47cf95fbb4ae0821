import { z } from "zod";
import type { WebhookEventType } from "@/lib/webhooks/event-types";

// The payload of each event (lib/webhooks/event-types.ts names them), for the OpenAPI document's `webhooks` and
// the tests that check real requests against it.
const refused = z.object({ address: z.string(), reason: z.string().nullable() });

export const messageEventData = z.object({
  messageId: z.string(),
  subject: z.string(),
  attempts: z.number().int(),
  /** Addresses the server accepted (sent, partially delivered). */
  accepted: z.array(z.string()),
  /** Recipients refused for good, with why. */
  refused: z.array(refused),
  reason: z.string().nullable(),
});

export const queuedEventData = z.object({
  messageId: z.string(),
  subject: z.string(),
  recipientCount: z.number().int(),
  sendAt: z.iso.datetime({ offset: true }).nullable(),
});

export const campaignEventData = z.object({
  campaignId: z.string(),
  name: z.string(),
  /** running (started), paused, done or cancelled (finished). */
  status: z.string(),
});

export const unsubscribedEventData = z.object({
  email: z.string(),
  campaignId: z.string(),
  campaignName: z.string(),
  recipientId: z.string(),
});

export const testEventData = z.object({ message: z.string() });

export const eventDataSchemas: Record<WebhookEventType, z.ZodType> = {
  "message.queued": queuedEventData,
  "message.sent": messageEventData,
  "message.partially_delivered": messageEventData,
  "message.failed": messageEventData,
  "message.deferred": messageEventData,
  "campaign.started": campaignEventData,
  "campaign.paused": campaignEventData,
  "campaign.finished": campaignEventData,
  "recipient.unsubscribed": unsubscribedEventData,
  "webhook.test": testEventData,
};

/** The body of every webhook request (Standard Webhooks' recommended shape). */
export function eventEnvelope(type: WebhookEventType) {
  return z.object({
    type: z.literal(type),
    timestamp: z.iso.datetime({ offset: true }),
    data: eventDataSchemas[type],
  });
}

export type WebhookEventPayload = { type: WebhookEventType; timestamp: string; data: unknown };
