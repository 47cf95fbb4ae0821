import "server-only";
import { lockRowsSkipLocked } from "@/lib/db/dialect";
import { newTimeOrderedId } from "@/lib/db/ids";
import { jsonRows } from "@/lib/db/json-rows";
import type { db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { ClaimedDeliveryRow } from "@/lib/webhooks/sql/claim-deliveries";

type TxClient = Pick<Prisma.TransactionClient, "$queryRaw" | "$executeRaw"> &
  Pick<typeof db, "webhookEndpoint">;

/**
 * Moves the oldest `limit` events of the outbox to the delivery queue: one WebhookDelivery per enabled
 * endpoint of the event's user subscribed to its type, then the events leave the outbox. The new deliveries
 * are claimed at once for the sender that moves them (`claimToken` until `leaseUntil`: its pass sends them
 * next, with no second look-up). Run it in a transaction (lib/webhooks/queue.ts). Returns how many events were
 * taken, and the deliveries made.
 */
export async function fanOutEvents(
  tx: TxClient,
  limit: number,
  claimToken: string,
  leaseUntil: Date,
): Promise<{ taken: number; claimed: ClaimedDeliveryRow[] }> {
  const events = await tx.$queryRaw<{ id: string; userId: string; type: string; payload: string }[]>`
    SELECT "id", "userId", "type", "payload" FROM "WebhookEvent" ORDER BY "id" LIMIT ${limit} ${lockRowsSkipLocked}`;
  if (events.length === 0) return { taken: 0, claimed: [] };
  const endpoints = await tx.webhookEndpoint.findMany({
    where: { userId: { in: [...new Set(events.map((e) => e.userId))] }, disabledAt: null },
    select: { id: true, userId: true, events: true },
  });
  const pairs = events.flatMap((event) =>
    endpoints
      .filter((e) => e.userId === event.userId && Array.isArray(e.events) && e.events.includes(event.type))
      // Delivery ids are made now, in the events' order: each endpoint's queue keeps that order.
      .map((endpoint) => ({
        id: newTimeOrderedId(),
        endpointId: endpoint.id,
        eventRowId: event.id,
        eventId: `msg_${event.id.replace(/-/g, "")}`,
        type: event.type,
        payload: event.payload,
      })),
  );
  if (pairs.length > 0) {
    // The bodies are copied inside the database, not sent back in as parameters.
    const v = jsonRows({ id: "text", endpointId: "text", eventRowId: "text", eventId: "text" }, pairs);
    await tx.$executeRaw`
      INSERT INTO "WebhookDelivery" ("id", "endpointId", "eventId", "type", "payload", "status", "attempts",
        "nextAttemptAt", "createdAt", "claimToken", "leaseUntil")
      SELECT v."id", v."endpointId", v."eventId", e."type", e."payload", 'pending', 0, e."createdAt", e."createdAt",
        ${claimToken}, ${leaseUntil}
      FROM ${v} AS v JOIN "WebhookEvent" AS e ON e."id" = v."eventRowId"`;
  }
  const taken = jsonRows(
    { id: "text" },
    events.map((e) => ({ id: e.id })),
  );
  await tx.$executeRaw`DELETE FROM "WebhookEvent" WHERE "id" IN (SELECT v."id" FROM ${taken} AS v)`;
  return {
    taken: events.length,
    claimed: pairs.map((p) => ({
      id: p.id,
      eventId: p.eventId,
      type: p.type,
      payload: p.payload,
      attempts: 0,
      endpointId: p.endpointId,
    })),
  };
}
