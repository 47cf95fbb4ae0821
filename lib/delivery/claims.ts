import "server-only";
import { db } from "@/lib/db/client";
import { newTimeOrderedId } from "@/lib/db/ids";
import { jsonRows } from "@/lib/db/json-rows";
import { providerOf } from "@/lib/db/provider";
import { env } from "@/lib/env";
import { Prisma } from "@/lib/generated/prisma/client";
import { parseOutcomes, type RecipientOutcome } from "@/lib/delivery/recipient-outcomes";
import type { NewMessageRow } from "@/lib/messages/insert-batcher";
import type { Recipient } from "@/lib/validation/messages";

// The worker's claims, as single statements that walk the (status, senderId, nextAttemptAt) index, so their
// cost does not grow with the length of the queue. On PostgreSQL several workers share the outbox: the rows a
// claim picks are locked FOR UPDATE SKIP LOCKED, so concurrent claims take different messages without waiting
// on each other. SQLite has one writer at a time, which makes the same statement atomic without the clause.
const isPostgres = providerOf(env.databaseUrl) === "postgresql";
const skipLocked = isPostgres ? Prisma.sql`FOR UPDATE SKIP LOCKED` : Prisma.empty;

/** A sender with due work; `leaseExpired` when some of its messages were claimed by a worker that died. */
export type DueSender = { senderId: string | null; leaseExpired: boolean };

/**
 * The senders with due messages, after `after` in id order (a cursor that rotates across passes, so every
 * sender gets its turn), at most `limit`; plus, with `orphans`, senders of messages whose worker died (lease
 * expired) and messages whose sender was removed (senderId null). Each is one index probe.
 */
export async function sendersWithDueWork(
  now: Date,
  after: string,
  limit: number,
  { orphans = true }: { orphans?: boolean } = {},
): Promise<DueSender[]> {
  const found: DueSender[] = [];
  let cursor = after;
  for (let wrapped = false; found.length < limit;) {
    const [row] = await db.$queryRaw<{ senderId: string }[]>`
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
  const expired = await db.$queryRaw<{ senderId: string | null }[]>`
    SELECT DISTINCT "senderId" FROM "Message" WHERE "status" = 'sending' AND "leaseUntil" < ${now} LIMIT ${limit}`;
  for (const { senderId } of expired) {
    const known = found.find((f) => f.senderId === senderId);
    if (known) known.leaseExpired = true;
    else found.push({ senderId, leaseExpired: true });
  }
  const removed = await db.$queryRaw<{ id: string }[]>`
    SELECT "id" FROM "Message" WHERE "status" = 'queued' AND "senderId" IS NULL AND "nextAttemptAt" <= ${now} LIMIT 1`;
  if (removed.length && !found.some((f) => f.senderId === null))
    found.push({ senderId: null, leaseExpired: false });
  return found;
}

/** What the worker needs of a claimed message to send it and record the outcome; the claim returns it. */
export type ClaimedRow = Pick<
  NewMessageRow,
  "id" | "userId" | "messageIdHeader" | "fromName" | "fromEmail" | "to" | "cc" | "bcc" | "subject" | "html"
> & {
  /** Null once the sender was removed. */
  senderId: string | null;
  text: string | null;
  /** Counting the attempt this claim starts. */
  attempts: number;
  createdAt: Date;
  /** What earlier attempts settled per recipient; null when none was tried or all were accepted. */
  recipientOutcomes: RecipientOutcome[] | null;
};

const claimedColumns = Prisma.raw(
  '"id", "userId", "senderId", "messageIdHeader", "fromName", "fromEmail", "to", "cc", "bcc", "subject", ' +
    '"html", "text", "attempts", "createdAt", "recipientOutcomes"',
);

/** The database, or the transaction a claim pass runs in. */
export type Client = Pick<typeof db, "$queryRaw" | "$executeRaw">;

/**
 * One message larger than a claim's budget may go, once per pass, and only while no other such message is in
 * flight (the worker says so): it is taken alone as a sender's first, and the pass's `used` it.
 */
export type OversizeAllowance = { allowed: boolean };

/**
 * The rows, oldest first, whose bodies fit in `budget` characters; the first one even when it alone is
 * larger, if the allowance is still there (then used up).
 */
export function fitToBudget<T extends Pick<ClaimedRow, "html" | "text">>(
  rows: T[],
  budget: number,
  oversize: OversizeAllowance,
): T[] {
  let used = 0;
  const fits: T[] = [];
  for (const row of rows) {
    used += bodySize(row);
    if (used > budget) {
      if (fits.length === 0 && oversize.allowed) {
        oversize.allowed = false;
        fits.push(row);
      }
      break;
    }
    fits.push(row);
  }
  return fits;
}

/**
 * Claims up to `limit` of a sender's due messages under a lease — first any whose worker died (their lease
 * ran out; looked for only when `leaseExpired`), then queued ones oldest first — and returns them. The claim
 * stops before the bodies it took would pass `charBudget` characters (see fitToBudget for the one larger
 * message). Run it in a transaction: the rows are read (locked on PostgreSQL), then marked by id.
 */
export async function claimForSender(
  client: Client,
  { senderId, leaseExpired }: DueSender,
  limit: number,
  charBudget: number,
  now: Date,
  leaseMs: number,
  oversize: OversizeAllowance = { allowed: false },
): Promise<ClaimedRow[]> {
  if (limit <= 0 || charBudget <= 0) return [];
  const ofSender = senderId === null ? Prisma.sql`"senderId" IS NULL` : Prisma.sql`"senderId" = ${senderId}`;
  const leaseUntil = new Date(now.getTime() + leaseMs);
  // Read, then mark by id. The UPDATE … RETURNING that did both in one statement measured twice the cost
  // per message on SQLite, which builds RETURNING rows in a temporary table.
  const claim = async (pick: Prisma.Sql, n: number, budget: number) => {
    // The candidates come off the index in order, LIMIT n; a running total over just those n then cuts the
    // list where the bodies would go over the budget.
    const candidates = await client.$queryRaw<RawClaimedRow[]>`
      SELECT ${claimedColumns} FROM (
        SELECT *, SUM("size") OVER (ORDER BY "nextAttemptAt" ROWS UNBOUNDED PRECEDING) - "size" AS "before"
        FROM (
          SELECT ${claimedColumns}, "nextAttemptAt", length("html") + COALESCE(length("text"), 0) AS "size"
          FROM "Message" WHERE ${ofSender} AND ${pick} ORDER BY "nextAttemptAt" LIMIT ${n} ${skipLocked}
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
    // transactions hold the write lock from BEGIN (lib/db/sqlite-statements.ts). (Repeating the read's conditions here would lead
    // SQLite to walk the whole due queue on its index instead of looking up the ids.) Should a row have
    // vanished all the same, the whole claim is rolled back.
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

/** The characters of a message's bodies, as the claim's budget counts them. */
export const bodySize = (m: Pick<ClaimedRow, "html" | "text">): number =>
  m.html.length + (m.text?.length ?? 0);

// Raw rows carry JSON as text on SQLite (parsed on PostgreSQL) and may carry dates as text.
export type RawClaimedRow = Omit<
  ClaimedRow,
  "to" | "cc" | "bcc" | "createdAt" | "attempts" | "recipientOutcomes"
> & {
  to: unknown;
  recipientOutcomes: unknown;
  cc: unknown;
  bcc: unknown;
  attempts: number | bigint;
  createdAt: Date | string;
};

const recipients = (value: unknown) => (typeof value === "string" ? JSON.parse(value) : value) as Recipient[];

export function fromRaw(row: RawClaimedRow): ClaimedRow {
  return {
    ...row,
    to: recipients(row.to),
    cc: recipients(row.cc),
    bcc: recipients(row.bcc),
    // As read, before the claim counted the attempt it starts.
    attempts: Number(row.attempts) + 1,
    createdAt: row.createdAt instanceof Date ? row.createdAt : new Date(row.createdAt),
    recipientOutcomes: parseOutcomes(row.recipientOutcomes),
  };
}

/** The timeline entry of an attempt a dead worker left; `{attempt}` is its number. */
export const INTERRUPTED_DETAIL =
  "Attempt {attempt} stopped before the mail server's reply was recorded (the delivery worker stopped). " +
  "Trying again with the same Message-ID.";

/**
 * An attempt cut short: its worker stopped before the server's reply was stored. Its lease ran out and it is
 * tried again now, so the timeline says so (a message in flight is shown from its row, not from an entry).
 */
async function recordInterrupted(client: Client, messages: ClaimedRow[], now: Date): Promise<void> {
  const events = jsonRows(
    { id: "text", messageId: "text", detail: "text", at: "timestamp" },
    messages.map((m) => ({
      id: newTimeOrderedId(now.getTime()),
      messageId: m.id,
      detail: INTERRUPTED_DETAIL.replace("{attempt}", String(m.attempts - 1)),
      at: now,
    })),
  );
  await client.$executeRaw`
    INSERT INTO "MessageEvent" ("id", "messageId", "type", "detail", "createdAt")
    SELECT v."id", v."messageId", 'interrupted', v."detail", v."at" FROM ${events} AS v`;
}
