import "server-only";
import { db } from "@/lib/db/client";
import { providerOf } from "@/lib/db/provider";
import { env } from "@/lib/env";
import { Prisma } from "@/lib/generated/prisma/client";

// The worker's claims, as single statements that walk the (status, senderId, nextAttemptAt) index, so their
// cost does not grow with the length of the queue. On PostgreSQL several workers share the outbox: the rows a
// claim picks are locked FOR UPDATE SKIP LOCKED, so concurrent claims take different messages without waiting
// on each other. SQLite has one writer at a time, which makes the same statement atomic without the clause.
const isPostgres = providerOf(env.databaseUrl) === "postgresql";
const skipLocked = isPostgres ? Prisma.sql`FOR UPDATE SKIP LOCKED` : Prisma.empty;

export type DueSender = { senderId: string | null };

/**
 * The senders with due messages, after `after` in id order (a cursor that rotates across passes, so every
 * sender gets its turn), at most `limit`; plus senders of messages whose worker died (lease expired) and
 * messages whose sender was removed (senderId null). Each is one index probe.
 */
export async function sendersWithDueWork(now: Date, after: string, limit: number): Promise<DueSender[]> {
  const found: DueSender[] = [];
  let cursor = after;
  for (let wrapped = false; found.length < limit;) {
    const [row] = await db.$queryRaw<{ senderId: string }[]>`
      SELECT "senderId" FROM "Message"
      WHERE "status" = 'queued' AND "senderId" > ${cursor} AND "nextAttemptAt" <= ${now}
      ORDER BY "senderId" LIMIT 1`;
    if (row) {
      if (found.some((f) => f.senderId === row.senderId)) break;
      found.push(row);
      cursor = row.senderId;
    } else if (!wrapped && after !== "") {
      wrapped = true;
      cursor = "";
    } else break;
  }
  const expired = await db.$queryRaw<{ senderId: string | null }[]>`
    SELECT DISTINCT "senderId" FROM "Message" WHERE "status" = 'sending' AND "leaseUntil" < ${now} LIMIT ${limit}`;
  for (const e of expired) if (!found.some((f) => f.senderId === e.senderId)) found.push(e);
  const removed = await db.$queryRaw<{ id: string }[]>`
    SELECT "id" FROM "Message" WHERE "status" = 'queued' AND "senderId" IS NULL AND "nextAttemptAt" <= ${now} LIMIT 1`;
  if (removed.length && !found.some((f) => f.senderId === null)) found.push({ senderId: null });
  return found;
}

/**
 * Claims up to `limit` of a sender's due messages under a lease — first any whose worker died (their lease
 * ran out), then queued ones oldest first — and returns their ids.
 */
export async function claimForSender(
  senderId: string | null,
  limit: number,
  now: Date,
  leaseMs: number,
): Promise<string[]> {
  if (limit <= 0) return [];
  const ofSender = senderId === null ? Prisma.sql`"senderId" IS NULL` : Prisma.sql`"senderId" = ${senderId}`;
  const claim = (pick: Prisma.Sql, n: number) => db.$queryRaw<{ id: string }[]>`
    UPDATE "Message" SET "status" = 'sending', "leaseUntil" = ${new Date(now.getTime() + leaseMs)},
      "attempts" = "attempts" + 1, "updatedAt" = ${now}
    WHERE "id" IN (SELECT "id" FROM "Message" WHERE ${ofSender} AND ${pick} LIMIT ${n} ${skipLocked})
    RETURNING "id"`;
  const expired = await claim(Prisma.sql`"status" = 'sending' AND "leaseUntil" < ${now}`, limit);
  const queued =
    expired.length < limit
      ? await claim(
          Prisma.sql`"status" = 'queued' AND "nextAttemptAt" <= ${now} ORDER BY "nextAttemptAt"`,
          limit - expired.length,
        )
      : [];
  return [...expired, ...queued].map((r) => r.id);
}

/** The claimed messages with their senders, and a "sending" entry on each timeline. */
export async function loadClaimed(ids: string[]) {
  await db.messageEvent.createMany({
    data: ids.map((messageId) => ({ messageId, type: "sending", detail: "Connecting to the mail server" })),
  });
  return db.message.findMany({ where: { id: { in: ids } }, include: { sender: true } });
}
