import "server-only";
import { db } from "@/lib/db/client";
import { groupCommit } from "@/lib/db/group-commit";
import { newTimeOrderedId } from "@/lib/db/ids";
import type { DbClient } from "@/lib/delivery/sql/db-client";
import type { WebhookEventType } from "@/lib/webhooks/event-types";
import { subscribedEndpoints, wakeWebhookSender } from "@/lib/webhooks/queue";
import { insertWebhookEvents } from "@/lib/webhooks/sql/insert-events";

// The webhook events' outbox (the WebhookEvent table). Whatever reports an event — a message's outcome, a
// campaign's start, an unsubscribe — writes the event's row in the same transaction as the change it reports,
// so a crash can lose neither without the other: the event is sent at least once. lib/webhooks/sql/fan-out-events.ts
// turns the rows into deliveries; lib/webhooks/outcome-events.ts says what each event holds. An event no endpoint of the user wants is not written at all (the lookup is
// cached for a few seconds per user, lib/webhooks/queue.ts), so users without webhooks pay nothing.

export type OutboxEvent = {
  id: string;
  userId: string;
  type: WebhookEventType;
  /** The body as it will be signed: { type, timestamp, data }. */
  payload: string;
  createdAt: Date;
};

/** The event's row, or null when no enabled endpoint of the user is subscribed to its type. */
export async function webhookEventFor(
  userId: string,
  type: WebhookEventType,
  data: unknown,
  now: Date = new Date(),
  client?: Parameters<typeof subscribedEndpoints>[1],
): Promise<OutboxEvent | null> {
  const endpoints = await subscribedEndpoints(userId, client);
  if (!endpoints.some((e) => Array.isArray(e.events) && e.events.includes(type))) return null;
  return {
    id: newTimeOrderedId(now.getTime()),
    userId,
    type,
    payload: JSON.stringify({ type, timestamp: now.toISOString(), data }),
    createdAt: now,
  };
}

/**
 * Writes event rows with `client` — the transaction of the change they report (in a batch transaction, use
 * insertWebhookEvents of lib/webhooks/sql/insert-events.ts). Nulls (events nobody wants) are skipped.
 */
export async function writeWebhookEvents(
  client: DbClient,
  events: ReadonlyArray<OutboxEvent | null>,
): Promise<void> {
  const rows = events.filter((e): e is OutboxEvent => e !== null);
  if (rows.length > 0) await insertWebhookEvents(client, rows);
}

/** After the transaction committed: the sender in this process looks at once (others find it at their poll). */
export function announceWebhookEvents(events: ReadonlyArray<OutboxEvent | null>): void {
  if (events.some((e) => e !== null)) wakeWebhookSender();
}

/** Events with no change of their own to commit with: those of the same moment written by one INSERT. */
const writeAlone = groupCommit<OutboxEvent, void>({
  maxBatch: 500,
  gatherMs: 0,
  maxWritesAtOnce: 1,
  async write(events) {
    await writeWebhookEvents(db, events);
    return events.map(() => undefined);
  },
});

/**
 * Writes one event on its own — an event that reports no stored change (the webhook benchmark's producer).
 * Resolves once it is stored; false when no endpoint wants it.
 */
export async function recordWebhookEvent(
  userId: string,
  type: WebhookEventType,
  data: unknown,
  now?: Date,
): Promise<boolean> {
  const event = await webhookEventFor(userId, type, data, now);
  if (!event) return false;
  await writeAlone(event);
  announceWebhookEvents([event]);
  return true;
}
