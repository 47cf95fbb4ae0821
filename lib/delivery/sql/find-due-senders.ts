import "server-only";
import type { DbClient } from "@/lib/delivery/sql/db-client";

/** A sender with due work; `leaseExpired` when some of its messages were claimed by a worker that died. */
export type DueSender = { senderId: string | null; leaseExpired: boolean };

/**
 * The senders with due messages, after `after` in id order (a cursor that rotates across passes, so every
 * sender gets its turn), at most `limit`; plus, with `orphans`, senders of messages whose worker died (lease
 * expired) and messages whose sender was removed (senderId null). Each is one probe of the
 * (status, senderId, nextAttemptAt) index, so its cost does not grow with the length of the queue.
 */
export async function findDueSenders(
  client: DbClient,
  now: Date,
  after: string,
  limit: number,
  { orphans }: { orphans: boolean },
): Promise<DueSender[]> {
  const found: DueSender[] = [];
  let cursor = after;
  for (let wrapped = false; found.length < limit;) {
    const [row] = await client.$queryRaw<{ senderId: string }[]>`
      SELECT "senderId" FROM "Message"
      WHERE "status" = 'queued' AND "senderId" > ${cursor} AND "nextAttemptAt" <= ${now}
      ORDER BY "senderId" LIMIT 1`;
    if (row) {
      if (found.some((f) => f.senderId === row.senderId)) break;
      found.push({ senderId: row.senderId, leaseExpired: false });
      cursor = row.senderId;
    } else if (!wrapped && after !== "") {
      wrapped = true;
      cursor = "";
    } else break;
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
