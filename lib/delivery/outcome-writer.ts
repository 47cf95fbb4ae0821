import "server-only";
import { db } from "@/lib/db/client";
import { jsonRows } from "@/lib/db/json-rows";
import { sqliteDeliveryThread } from "@/lib/delivery/sqlite-delivery-thread";

/**
 * A message every recipient accepted at its first attempt, as it is stored: the status and the reply (its
 * timeline shows them). Any other outcome is written by lib/delivery/attempt-outcome.ts.
 */
export type SentRecord = {
  id: string;
  sentAt: Date;
  text: string;
  response: string;
  accepted: string[];
  rejected: string[];
};

type Pending = { record: SentRecord; resolve: () => void; reject: (error: unknown) => void };

const MAX_BATCH = 500;
/** How long the first outcome of a batch waits for others to join it before the batch is written. */
const GATHER_MS = 3;
const queue: Pending[] = [];
let writing: Promise<void> | null = null;
let gathering: NodeJS.Timeout | null = null;

/**
 * Group commit for delivery outcomes: messages accepted within a few milliseconds of each other, or while the
 * previous batch was being written, are stored together by one UPDATE, instead of a transaction each.
 * Resolves once this message's outcome is committed; until then it is still "sending" under its lease, so a
 * crash at worst sends it again with the same Message-ID.
 */
export function recordSent(record: SentRecord): Promise<void> {
  return new Promise((resolve, reject) => {
    queue.push({ record, resolve, reject });
    if (writing) return;
    if (queue.length >= MAX_BATCH) startWriting();
    else gathering ??= setTimeout(startWriting, GATHER_MS);
  });
}

function startWriting() {
  if (gathering) clearTimeout(gathering);
  gathering = null;
  writing ??= drain();
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

const sentColumns = {
  id: "text",
  sentAt: "timestamp",
  text: "text",
  response: "text",
  accepted: "json",
  rejected: "json",
} as const;

/**
 * No timeline entry is written: the row's sentAt, reply and per-recipient results are the "sent" step
 * (lib/messages/timeline.ts), which saves an insert per message. On SQLite the delivery thread writes it.
 */
async function writeBatch(records: SentRecord[]): Promise<void> {
  const thread = sqliteDeliveryThread();
  if (thread) {
    await thread.recordSent(records);
    return;
  }
  const v = jsonRows(sentColumns, records);
  await db.$executeRaw`
    UPDATE "Message" SET "status" = 'sent', "sentAt" = v."sentAt", "updatedAt" = v."sentAt", "text" = v."text",
      "smtpResponse" = v."response", "accepted" = v."accepted", "rejected" = v."rejected",
      "leaseUntil" = NULL, "lastError" = NULL
    FROM ${v} AS v WHERE "Message"."id" = v."id"`;
}
