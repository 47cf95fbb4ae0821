import "server-only";
import { randomUUID } from "node:crypto";
import { TtlCache } from "@/lib/cache/ttl-cache";
import { db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { claimDeliveries, type ClaimedDeliveryRow } from "@/lib/webhooks/sql/claim-deliveries";
import { fanOutEvents } from "@/lib/webhooks/sql/fan-out-events";
import { recordDeliveredRows } from "@/lib/webhooks/sql/record-delivered";
import { newTimeOrderedId } from "@/lib/db/ids";
import type { WebhookEndpoint } from "@/lib/generated/prisma/client";
import type { WebhookEventType } from "@/lib/webhooks/event-types";

// The durable queue of webhook deliveries: one WebhookDelivery row per event and endpoint, made from the
// events' outbox (lib/webhooks/outbox.ts, lib/webhooks/sql/fan-out-events.ts), so a restart loses nothing. Ids are time-ordered (UUIDv7), so "oldest first" is id order and
// each endpoint's events go out in the order they happened (as far as retries allow). A sender claims due rows
// with a token and a lease; a sender that dies leaves its claims to expire and be taken again (at least once).

/** Waits after the first try: about 3 days in all (Standard Webhooks' schedule, stretched). */
export const RETRY_DELAYS_MS = [5, 300, 1800, 7200, 18_000, 36_000, 50_400, 72_000, 72_000].map(
  (s) => s * 1000,
);
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;
export const CLAIM_LEASE_MS = env.WEBHOOK_LEASE_MS;

type EndpointTarget = Pick<WebhookEndpoint, "id" | "events">;
// The delivery worker announces thousands of outcomes a second: whose endpoints want what is looked up once
// a few seconds per user, not once per event. Changes made in this process clear it at once.
const endpointCache = new TtlCache<EndpointTarget[]>(5_000);

export function forgetEndpointsOf(userId: string): void {
  endpointCache.delete(userId);
}

/** The user's enabled endpoints and what each subscribes to (cached a few seconds). */
export async function subscribedEndpoints(
  userId: string,
  /** Inside a transaction, the transaction (on SQLite the one connection is its). */
  client: Pick<typeof db, "webhookEndpoint"> = db,
): Promise<EndpointTarget[]> {
  const cached = endpointCache.get(userId);
  if (cached) return cached;
  const rows = await client.webhookEndpoint.findMany({
    where: { userId, disabledAt: null },
    select: { id: true, events: true },
  });
  endpointCache.set(userId, rows);
  return rows;
}

type WakeListener = () => void;
const g = globalThis as unknown as { securevaultWebhookWake?: Set<WakeListener> };
const wakeListeners: Set<WakeListener> = (g.securevaultWebhookWake ??= new Set());

export function onWebhookWake(listener: WakeListener): () => void {
  wakeListeners.add(listener);
  return () => wakeListeners.delete(listener);
}

/** New work for the webhook sender of this process: it looks at once. */
export function wakeWebhookSender(): void {
  for (const listener of wakeListeners) listener();
}

/**
 * Queues an event straight to one endpoint of the user ("Send test event"), bypassing the outbox
 * (lib/webhooks/outbox.ts) that every other event goes through. Returns how many deliveries were queued.
 */
export async function enqueueTestEvent(
  userId: string,
  endpointId: string,
  type: WebhookEventType,
  data: unknown,
  now = new Date(),
): Promise<number> {
  const endpoint = await db.webhookEndpoint.findFirst({
    where: { id: endpointId, userId },
    select: { id: true },
  });
  if (!endpoint) return 0;
  const eventId = `msg_${newTimeOrderedId(now.getTime()).replace(/-/g, "")}`;
  await db.webhookDelivery.create({
    data: {
      id: newTimeOrderedId(now.getTime()),
      endpointId: endpoint.id,
      eventId,
      type,
      payload: JSON.stringify({ type, timestamp: now.toISOString(), data }),
      nextAttemptAt: now,
      createdAt: now,
    },
  });
  wakeWebhookSender();
  return 1;
}

/** Queues an earlier delivery's event again, as it was (same webhook-id, so a receiver can tell). */
export async function requeueDelivery(deliveryId: string, now = new Date()): Promise<string> {
  const original = await db.webhookDelivery.findUniqueOrThrow({ where: { id: deliveryId } });
  const id = newTimeOrderedId(now.getTime());
  await db.webhookDelivery.create({
    data: {
      id,
      endpointId: original.endpointId,
      eventId: original.eventId,
      type: original.type,
      payload: original.payload,
      nextAttemptAt: now,
      createdAt: now,
    },
  });
  wakeWebhookSender();
  return id;
}

export type ClaimedDelivery = {
  id: string;
  eventId: string;
  type: string;
  payload: string;
  attempts: number;
  endpoint: Pick<
    WebhookEndpoint,
    | "id"
    | "userId"
    | "kind"
    | "url"
    | "secretCipher"
    | "previousSecretCipher"
    | "previousSecretUntil"
    | "failureStreak"
  >;
};

/** Outbox events moved to the queue per pass (lib/webhooks/sql/fan-out-events.ts). */
export const FAN_OUT_BATCH = 500;

/**
 * Takes up to `limit` due deliveries of enabled endpoints, oldest first, under a lease
 * (lib/webhooks/sql/claim-deliveries.ts), with what each one's endpoint needs for sending.
 */
export async function claimDueDeliveries(now: Date, limit: number): Promise<ClaimedDelivery[]> {
  return (await claimWork(now, limit)).deliveries;
}

/**
 * A sender's work for one pass, in one transaction: the due deliveries already queued, oldest first, then —
 * room permitting — new events from the outbox made into deliveries, claimed as they are made. `moreEvents`:
 * the outbox had more than was taken.
 */
export async function claimWork(
  now: Date,
  limit: number,
): Promise<{ deliveries: ClaimedDelivery[]; moreEvents: boolean }> {
  const claimToken = randomUUID();
  const leaseUntil = new Date(now.getTime() + CLAIM_LEASE_MS);
  const { rows, moreEvents } = await db.$transaction(async (tx) => {
    const queued = await claimDeliveries(tx, now, limit, claimToken, leaseUntil);
    if (queued.length >= limit) return { rows: queued, moreEvents: false };
    const fresh = await fanOutEvents(
      tx,
      Math.min(FAN_OUT_BATCH, limit - queued.length),
      claimToken,
      leaseUntil,
    );
    return {
      rows: [...queued, ...fresh.claimed],
      moreEvents: fresh.taken >= Math.min(FAN_OUT_BATCH, limit - queued.length),
    };
  });
  return { deliveries: await withEndpoints(rows), moreEvents };
}

async function withEndpoints(rows: ClaimedDeliveryRow[]): Promise<ClaimedDelivery[]> {
  if (rows.length === 0) return [];
  const endpoints = new Map(
    (
      await db.webhookEndpoint.findMany({
        where: { id: { in: [...new Set(rows.map((r) => r.endpointId))] } },
        select: {
          id: true,
          userId: true,
          kind: true,
          url: true,
          secretCipher: true,
          previousSecretCipher: true,
          previousSecretUntil: true,
          failureStreak: true,
        },
      })
    ).map((e) => [e.id, e]),
  );
  // An endpoint deleted since the claim took its deliveries with it.
  return rows.flatMap(({ endpointId, ...row }) => {
    const endpoint = endpoints.get(endpointId);
    return endpoint ? [{ ...row, endpoint }] : [];
  });
}

/** Gives claimed deliveries back untried: they keep their place in the queue. */
export async function releaseClaims(ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await db.webhookDelivery.updateMany({
    where: { id: { in: ids }, status: "pending" },
    data: { claimToken: null, leaseUntil: null },
  });
}

export type AttemptRecord = {
  delivery: ClaimedDelivery;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
  at: Date;
  /** delivered; retry at a time; failed for good (gave up, or 410 Gone). */
  verdict: { kind: "delivered" } | { kind: "retry"; at: Date } | { kind: "failed" };
  /** The endpoint is to be turned off, and why. */
  disableEndpoint: string | null;
};

/** Stores what an attempt got: the log entry, the delivery's new state, the endpoint's failure streak. */
export async function recordAttempt(record: AttemptRecord): Promise<void> {
  const { delivery, verdict } = record;
  await db.$transaction([
    db.webhookAttempt.create({
      data: {
        deliveryId: delivery.id,
        statusCode: record.statusCode,
        error: record.error?.slice(0, 500) ?? null,
        durationMs: record.durationMs,
        createdAt: record.at,
      },
    }),
    db.webhookDelivery.update({
      where: { id: delivery.id },
      data: {
        attempts: { increment: 1 },
        lastStatus: record.statusCode,
        lastError: record.error?.slice(0, 500) ?? null,
        claimToken: null,
        leaseUntil: null,
        ...(verdict.kind === "delivered"
          ? { status: "delivered", deliveredAt: record.at }
          : verdict.kind === "retry"
            ? { nextAttemptAt: verdict.at }
            : { status: "failed" }),
      },
    }),
    db.webhookEndpoint.update({
      where: { id: delivery.endpoint.id },
      data:
        verdict.kind === "delivered"
          ? { failureStreak: 0 }
          : record.disableEndpoint
            ? {
                disabledAt: record.at,
                disabledReason: record.disableEndpoint,
                failureStreak: { increment: 1 },
              }
            : { failureStreak: { increment: 1 } },
    }),
  ]);
  if (record.disableEndpoint) forgetEndpointsOf(delivery.endpoint.userId);
}

/** Deliveries accepted at once (most of them): their log rows and states in one transaction. */
export async function recordDelivered(records: AttemptRecord[]): Promise<void> {
  if (records.length === 0) return;
  const endpointIds = [...new Set(records.map((r) => r.delivery.endpoint.id))];
  await db.$transaction(async (tx) => {
    await recordDeliveredRows(
      tx,
      records.map((r) => ({
        id: r.delivery.id,
        statusCode: r.statusCode,
        durationMs: r.durationMs,
        at: r.at,
      })),
    );
    if (records.some((r) => r.delivery.endpoint.failureStreak > 0))
      await tx.webhookEndpoint.updateMany({
        where: { id: { in: endpointIds }, failureStreak: { gt: 0 } },
        data: { failureStreak: 0 },
      });
  });
}
