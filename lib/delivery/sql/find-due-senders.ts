import "server-only";
import type { DbClient } from "@/lib/delivery/sql/db-client";

/** A sender with due work; `leaseExpired` when some of its messages were claimed by a worker that died. */
export type DueSender = { senderId: string | null; leaseExpired: boolean };

/**
 * The senders with due messages, after `after` in id order (a cursor that rotates across passes, so every
 * sender gets its turn), at most `limit`; plus, with `orphans`, senders of messages whose worker died (lease
 * expired) and messages whose sender was removed (senderId null).
 */
export async function findDueSenders(
  client: DbClient,
  now: Date,
  after: string,
  limit: number,
  { orphans }: { orphans: boolean },
): Promise<DueSender[]> {
  const found: DueSender[] = (await dueSendersAfter(client, after, now, limit)).map((senderId) => ({
    senderId,
    leaseExpired: false,
  }));
  // Fewer than asked after the cursor: every sender after it was seen, so go on from the first until one of
  // them comes round again.
  if (found.length < limit && after !== "") {
    for (const senderId of await dueSendersAfter(client, "", now, limit - found.length)) {
      if (found.some((f) => f.senderId === senderId)) break;
      found.push({ senderId, leaseExpired: false });
    }
  }
  if (!orphans) return found;
  const expired = await client.$queryRaw<{ senderId: string | null }[]>`
    SELECT DISTINCT "senderId" FROM "Message" WHERE "status" = 'sending' AND "leaseUntil" < ${now} LIMIT ${limit}`;
  for (const { senderId } of expired) {
    const known = found.find((f) => f.senderId === senderId);
    if (known) known.leaseExpired = true;
    else found.push({ senderId, leaseExpired: true });
  }
  const removed = await client.$queryRaw<{ id: string }[]>`
    SELECT "id" FROM "Message" WHERE "status" = 'queued' AND "senderId" IS NULL AND "nextAttemptAt" <= ${now} LIMIT 1`;
  if (removed.length && !found.some((f) => f.senderId === null))
    found.push({ senderId: null, leaseExpired: false });
  return found;
}

/**
 * Up to `limit` senders after `after`, in id order, with a queued message due by `now`. The queued senders are
 * stepped through one (status, senderId, nextAttemptAt) index seek each, and each is asked for a due message
 * with one more: the cost follows the number of senders with queued mail, not of messages. (A single scan for
 * the first due row after the cursor walked every message not yet due on the way — 50,000 scheduled messages
 * of one user made each of the worker's passes, for everyone, read all of them.)
 */
async function dueSendersAfter(client: DbClient, after: string, now: Date, limit: number): Promise<string[]> {
  const rows = await client.$queryRaw<{ senderId: string }[]>`
    WITH RECURSIVE "queuedSender"("senderId") AS (
      SELECT (SELECT MIN("senderId") FROM "Message" WHERE "status" = 'queued' AND "senderId" > ${after})
      UNION ALL
      SELECT (
        SELECT MIN(m."senderId") FROM "Message" AS m
        WHERE m."status" = 'queued' AND m."senderId" > "queuedSender"."senderId"
      )
      FROM "queuedSender" WHERE "queuedSender"."senderId" IS NOT NULL
    )
    SELECT "senderId" FROM "queuedSender"
    WHERE "senderId" IS NOT NULL AND EXISTS (
      SELECT 1 FROM "Message" AS d
      WHERE d."status" = 'queued' AND d."senderId" = "queuedSender"."senderId" AND d."nextAttemptAt" <= ${now}
    )
    LIMIT ${limit}`;
  return rows.map((r) => r.senderId);
}
