import "server-only";
import { lockRowsSkipLocked } from "@/lib/db/dialect";
import { jsonRows } from "@/lib/db/json-rows";
import {
  bodySize,
  CLAIMED_COLUMNS,
  fitToBudget,
  fromRaw,
  type ClaimedRow,
  type OversizeAllowance,
  type RawClaimedRow,
} from "@/lib/delivery/claimed-message";
import type { DbClient } from "@/lib/delivery/sql/db-client";
import type { DueSender } from "@/lib/delivery/sql/find-due-senders";
import { recordInterrupted } from "@/lib/delivery/sql/record-interrupted";
import { Prisma } from "@/lib/generated/prisma/client";

const columns = Prisma.raw(CLAIMED_COLUMNS);

/**
 * Claims up to `limit` of a sender's due messages under a lease — first any whose worker died (their lease
 * ran out; looked for only when `leaseExpired`, each given an "interrupted" timeline entry), then queued ones
 * oldest first — and returns them. The claim stops before the bodies it took would pass `charBudget`
 * characters (see fitToBudget for the one larger message). Run it in a transaction: the rows are read (locked
 * on PostgreSQL, lib/db/dialect.ts), then marked by id.
 */
export async function claimMessages(
  client: DbClient,
  { senderId, leaseExpired }: DueSender,
  limit: number,
  charBudget: number,
  now: Date,
  leaseMs: number,
  oversize: OversizeAllowance,
): Promise<ClaimedRow[]> {
  if (limit <= 0 || charBudget <= 0) return [];
  const ofSender = senderId === null ? Prisma.sql`"senderId" IS NULL` : Prisma.sql`"senderId" = ${senderId}`;
  const leaseUntil = new Date(now.getTime() + leaseMs);
  // Read, then mark by id. The UPDATE … RETURNING that did both in one statement cost about twice as much per
  // message on SQLite, which builds RETURNING rows in a temporary table.
  const claim = async (pick: Prisma.Sql, n: number, budget: number) => {
    // The candidates come off the (status, senderId, nextAttemptAt) index in order, LIMIT n; a running total
    // over just those n then cuts the list where the bodies would go over the budget.
    const candidates = await client.$queryRaw<RawClaimedRow[]>`
      SELECT ${columns} FROM (
        SELECT *, SUM("size") OVER (ORDER BY "nextAttemptAt" ROWS UNBOUNDED PRECEDING) - "size" AS "before"
        FROM (
          SELECT ${columns}, "nextAttemptAt", length("html") + COALESCE(length("text"), 0) + "attachmentBytes" AS "size"
          FROM "Message" WHERE ${ofSender} AND ${pick} ORDER BY "nextAttemptAt" LIMIT ${n} ${lockRowsSkipLocked}
        ) AS "candidate"
      ) AS "running"
      WHERE "before" < ${budget} ORDER BY "nextAttemptAt"`;
    const rows = fitToBudget(candidates, budget, oversize);
    if (rows.length === 0) return [];
    const ids = jsonRows(
      { id: "text" },
      rows.map((r) => ({ id: r.id })),
    );
    const marked = await client.$executeRaw`
      UPDATE "Message" SET "status" = 'sending', "leaseUntil" = ${leaseUntil},
        "attempts" = "attempts" + 1, "updatedAt" = ${now}
      WHERE "id" IN (SELECT v."id" FROM ${ids} AS v)`;
    // The rows cannot change between the read and the mark: PostgreSQL holds their locks, and SQLite's
    // transactions hold the write lock from BEGIN (lib/db/internals/sqlite-prepare.ts). (Repeating the read's
    // conditions here would lead SQLite to walk the whole due queue on its index instead of looking up the
    // ids.) Should a row have vanished all the same, the whole claim is rolled back.
    if (marked !== rows.length) throw new Error(`Claimed ${marked} of ${rows.length} messages read`);
    return rows.map(fromRaw);
  };
  const expired = leaseExpired
    ? await claim(Prisma.sql`"status" = 'sending' AND "leaseUntil" < ${now}`, limit, charBudget)
    : [];
  if (expired.length > 0) await recordInterrupted(client, expired, now);
  const left = charBudget - expired.reduce((sum, m) => sum + bodySize(m), 0);
  const queued =
    expired.length < limit && left > 0
      ? await claim(
          Prisma.sql`"status" = 'queued' AND "nextAttemptAt" <= ${now}`,
          limit - expired.length,
          left,
        )
      : [];
  return [...expired, ...queued];
}
