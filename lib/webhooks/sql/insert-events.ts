import "server-only";
import { jsonRows } from "@/lib/db/json-rows";
import type { DbClient } from "@/lib/delivery/sql/db-client";

/** One row of the events' outbox (lib/webhooks/outbox.ts). */
export type OutboxEventRow = { id: string; userId: string; type: string; payload: string; createdAt: Date };

const eventColumns = {
  id: "text",
  userId: "text",
  type: "text",
  payload: "text",
  createdAt: "timestamp",
} as const;

/**
 * Writes events to the outbox in one statement. A Prisma promise: awaited alone, or one step of a batch
 * transaction (`db.$transaction([update, insertWebhookEvents(db, events)])`).
 */
export function insertWebhookEvents(client: DbClient, events: readonly OutboxEventRow[]) {
  const v = jsonRows(eventColumns, events);
  return client.$executeRaw`
    INSERT INTO "WebhookEvent" ("id", "userId", "type", "payload", "createdAt")
    SELECT v."id", v."userId", v."type", v."payload", v."createdAt" FROM ${v} AS v`;
}
