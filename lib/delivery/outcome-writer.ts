import "server-only";
import { db } from "@/lib/db/client";
import { newTimeOrderedId } from "@/lib/db/ids";
import { providerOf } from "@/lib/db/provider";
import { env } from "@/lib/env";
import { Prisma } from "@/lib/generated/prisma/client";

/** A message the server accepted, as it is stored: the status, the reply, and its timeline entry. */
export type SentRecord = {
  id: string;
  sentAt: Date;
  text: string;
  response: string;
  accepted: string[];
  rejected: string[];
  detail: string;
};

type Pending = { record: SentRecord; resolve: () => void; reject: (error: unknown) => void };

const MAX_BATCH = 500;
const queue: Pending[] = [];
let writing: Promise<void> | null = null;
const isPostgres = providerOf(env.databaseUrl) === "postgresql";

/**
 * Group commit for delivery outcomes: messages accepted while the previous batch was being written are stored
 * together — one UPDATE for their rows and one INSERT for their timeline entries — instead of two statements
 * each. Resolves once this message's outcome is committed; until then it is still "sending" under its lease,
 * so a crash at worst sends it again with the same Message-ID.
 */
export function recordSent(record: SentRecord): Promise<void> {
  return new Promise((resolve, reject) => {
    queue.push({ record, resolve, reject });
    writing ??= new Promise<void>((r) => setImmediate(r)).then(drain);
  });
}

async function drain(): Promise<void> {
  try {
    while (queue.length > 0) {
      const batch = queue.splice(0, MAX_BATCH);
      try {
        await writeBatch(batch.map((p) => p.record));
        for (const p of batch) p.resolve();
      } catch (error) {
        for (const p of batch) p.reject(error);
      }
    }
  } finally {
    writing = null;
  }
}

async function writeBatch(records: SentRecord[]): Promise<void> {
  const json = (value: unknown) =>
    isPostgres ? Prisma.sql`CAST(${JSON.stringify(value)} AS jsonb)` : Prisma.sql`${JSON.stringify(value)}`;
  const at = (value: Date) =>
    isPostgres ? Prisma.sql`CAST(${value} AS timestamp(3))` : Prisma.sql`${value}`;
  const rows = records.map(
    (r) =>
      Prisma.sql`(${r.id}, ${at(r.sentAt)}, ${r.text}, ${r.response}, ${json(r.accepted)}, ${json(r.rejected)})`,
  );
  const events = records.map(
    (r) =>
      Prisma.sql`(${newTimeOrderedId(r.sentAt.getTime())}, ${r.id}, 'sent', ${r.detail}, ${at(r.sentAt)})`,
  );
  await db.$transaction([
    db.$executeRaw`
      WITH v("id", "sentAt", "text", "response", "accepted", "rejected") AS (VALUES ${Prisma.join(rows)})
      UPDATE "Message" SET "status" = 'sent', "sentAt" = v."sentAt", "updatedAt" = v."sentAt", "text" = v."text",
        "smtpResponse" = v."response", "accepted" = v."accepted", "rejected" = v."rejected",
        "leaseUntil" = NULL, "lastError" = NULL
      FROM v WHERE "Message"."id" = v."id"`,
    db.$executeRaw`
      INSERT INTO "MessageEvent" ("id", "messageId", "type", "detail", "createdAt") VALUES ${Prisma.join(events)}`,
  ]);
}
