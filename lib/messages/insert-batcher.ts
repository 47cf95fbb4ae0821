import "server-only";
import { db } from "@/lib/db/client";
import { providerOf } from "@/lib/db/provider";
import { env } from "@/lib/env";
import { Prisma } from "@/lib/generated/prisma/client";
import type { Recipient } from "@/lib/validation/messages";

/** A new outbox row, as the send path stores it. */
export type NewMessageRow = {
  id: string;
  userId: string;
  senderId: string;
  idempotencyKey: string;
  requestHash: string;
  messageIdHeader: string;
  fromName: string | null;
  fromEmail: string;
  to: Recipient[];
  cc: Recipient[];
  bcc: Recipient[];
  subject: string;
  html: string;
  recipientCount: number;
  searchText: string;
  status: "queued";
  attempts: number;
  nextAttemptAt: Date;
  sendAt: Date | null;
  createdAt: Date;
};

export type InsertOutcome = "inserted" | "duplicate";
type Pending = { row: NewMessageRow; resolve: (o: InsertOutcome) => void; reject: (e: unknown) => void };

const MAX_BATCH = 100;

/**
 * Group commit for the send path: rows requested in the same turn of the event loop are written by one
 * multi-row INSERT (one statement, one commit) instead of one each, which amortises the driver and the disk
 * sync across concurrent requests; a lone request waits for nothing but its own insert. ON CONFLICT DO NOTHING
 * makes a replayed idempotency key come back as "duplicate" without failing its neighbours. Raw SQL here
 * because Prisma's createMany costs several times more per row, and this is the hottest write in the app.
 */
export function insertMessage(row: NewMessageRow): Promise<InsertOutcome> {
  return new Promise((resolve, reject) => {
    queue.push({ row, resolve, reject });
    if (queue.length === 1) setImmediate(flush);
  });
}

const queue: Pending[] = [];

function flush() {
  const batch = queue.splice(0, MAX_BATCH);
  if (queue.length > 0) setImmediate(flush);
  void insertBatch(batch);
}

async function insertBatch(batch: Pending[]): Promise<void> {
  try {
    const inserted = new Set((await insertRows(batch.map((p) => p.row))).map((r) => r.id));
    for (const p of batch) p.resolve(inserted.has(p.row.id) ? "inserted" : "duplicate");
  } catch (error) {
    // One bad row (say, a sender deleted a moment ago) must not fail the others: retry them one by one.
    if (batch.length === 1) batch[0]!.reject(error);
    else for (const p of batch) void insertBatch([p]);
  }
}

// PostgreSQL wants JSON and timestamp parameters typed; SQLite stores both as text.
const isPostgres = providerOf(env.databaseUrl) === "postgresql";
const json = (value: unknown) =>
  isPostgres ? Prisma.sql`CAST(${JSON.stringify(value)} AS jsonb)` : Prisma.sql`${JSON.stringify(value)}`;
const at = (value: Date | null) =>
  isPostgres ? Prisma.sql`CAST(${value} AS timestamp(3))` : Prisma.sql`${value}`;

function insertRows(rows: NewMessageRow[]) {
  const values = rows.map(
    (
      r,
    ) => Prisma.sql`(${r.id}, ${r.userId}, ${r.senderId}, ${r.idempotencyKey}, ${r.requestHash}, ${r.messageIdHeader},
      ${r.fromName}, ${r.fromEmail}, ${json(r.to)}, ${json(r.cc)}, ${json(r.bcc)},
      ${r.subject}, ${r.html}, ${r.searchText}, ${r.status}, ${r.attempts}, ${at(r.nextAttemptAt)}, ${at(r.sendAt)},
      ${at(r.createdAt)}, ${at(r.createdAt)}, ${r.recipientCount})`,
  );
  return db.$queryRaw<{ id: string }[]>`
    INSERT INTO "Message" ("id", "userId", "senderId", "idempotencyKey", "requestHash", "messageIdHeader",
      "fromName", "fromEmail", "to", "cc", "bcc", "subject", "html", "searchText", "status", "attempts",
      "nextAttemptAt", "sendAt", "createdAt", "updatedAt", "recipientCount")
    VALUES ${Prisma.join(values)}
    ON CONFLICT DO NOTHING
    RETURNING "id"`;
}
