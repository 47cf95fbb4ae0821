import "server-only";
import { newTimeOrderedId } from "@/lib/db/ids";
import { jsonRows } from "@/lib/db/json-rows";
import type { DbClient } from "@/lib/delivery/sql/db-client";

export type DeliveredRow = { id: string; statusCode: number | null; durationMs: number; at: Date };

/**
 * Deliveries the receiver accepted: each one's attempt log entry and its new state, two statements for the lot.
 * Run it in a transaction.
 */
export async function recordDeliveredRows(client: DbClient, rows: readonly DeliveredRow[]): Promise<void> {
  const v = jsonRows(
    { id: "text", attemptId: "text", statusCode: "integer", durationMs: "integer", at: "timestamp" },
    rows.map((r) => ({ ...r, attemptId: newTimeOrderedId(r.at.getTime()) })),
  );
  await client.$executeRaw`
    INSERT INTO "WebhookAttempt" ("id", "deliveryId", "statusCode", "error", "durationMs", "createdAt")
    SELECT v."attemptId", v."id", v."statusCode", NULL, v."durationMs", v."at" FROM ${v} AS v`;
  await client.$executeRaw`
    UPDATE "WebhookDelivery" SET "status" = 'delivered', "deliveredAt" = v."at", "attempts" = "attempts" + 1,
      "lastStatus" = v."statusCode", "lastError" = NULL, "claimToken" = NULL, "leaseUntil" = NULL
    FROM ${v} AS v WHERE "WebhookDelivery"."id" = v."id"`;
}
