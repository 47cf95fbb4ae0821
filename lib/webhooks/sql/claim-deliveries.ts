import "server-only";
import { lockRowsSkipLocked } from "@/lib/db/dialect";
import { jsonRows } from "@/lib/db/json-rows";
import type { DbClient } from "@/lib/delivery/sql/db-client";

export type ClaimedDeliveryRow = {
  id: string;
  eventId: string;
  type: string;
  payload: string;
  attempts: number;
  endpointId: string;
};

/**
 * Claims up to `limit` due deliveries of enabled endpoints, oldest first, under a lease (`claimToken` until
 * `leaseUntil`). Run it in a transaction: the rows are read (locked on PostgreSQL, skipping rows another
 * sender holds), then marked by id.
 */
export async function claimDeliveries(
  client: DbClient,
  now: Date,
  limit: number,
  claimToken: string,
  leaseUntil: Date,
): Promise<ClaimedDeliveryRow[]> {
  const rows = await client.$queryRaw<
    (Omit<ClaimedDeliveryRow, "attempts"> & { attempts: number | bigint })[]
  >`
    SELECT "id", "eventId", "type", "payload", "attempts", "endpointId" FROM "WebhookDelivery"
    WHERE "status" = 'pending' AND "nextAttemptAt" <= ${now}
      AND ("leaseUntil" IS NULL OR "leaseUntil" < ${now})
      AND "endpointId" IN (SELECT "id" FROM "WebhookEndpoint" WHERE "disabledAt" IS NULL)
    ORDER BY "id" LIMIT ${limit} ${lockRowsSkipLocked}`;
  if (rows.length === 0) return [];
  const ids = jsonRows(
    { id: "text" },
    rows.map((r) => ({ id: r.id })),
  );
  await client.$executeRaw`
    UPDATE "WebhookDelivery" SET "claimToken" = ${claimToken}, "leaseUntil" = ${leaseUntil}
    WHERE "id" IN (SELECT v."id" FROM ${ids} AS v)`;
  return rows.map((r) => ({ ...r, attempts: Number(r.attempts) }));
}
