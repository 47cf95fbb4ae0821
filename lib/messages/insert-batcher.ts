import "server-only";
import { db } from "@/lib/db/client";
import { groupCommit } from "@/lib/db/group-commit";
import { jsonRows } from "@/lib/db/json-rows";
import { Prisma } from "@/lib/generated/prisma/client";
import type { Recipient } from "@/lib/validation/messages";
import { writeWebhookEvents, type OutboxEvent } from "@/lib/webhooks/outbox";

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
  /** The attachments' encoded size (0 without any): the worker's body budget counts it. */
  attachmentBytes?: number;
  /** Threading headers of a reply, and the original of a forward (lib/compose/reply.ts); null otherwise. */
  inReplyTo?: string | null;
  references?: string | null;
  forwardOf?: string | null;
  /** Its "message.queued" webhook event (lib/webhooks/outbox.ts), committed with it; null when none is wanted. */
  webhookEvent?: OutboxEvent | null;
};

export type InsertOutcome = "inserted" | "duplicate";

/**
 * Group commit for the send path (lib/db/group-commit.ts): rows requested in the same turn of the event loop
 * are written by one multi-row INSERT (one statement, one commit) instead of one each; a lone request waits
 * for nothing but its own insert. ON CONFLICT DO NOTHING makes a replayed idempotency key come back as
 * "duplicate" without failing its neighbours; one bad row (say, a sender deleted a moment ago) fails alone.
 * Raw SQL here because Prisma's createMany costs several times more per row, and this is the hottest write in
 * the app.
 */
export const insertMessage: (row: NewMessageRow) => Promise<InsertOutcome> = groupCommit({
  maxBatch: 100,
  gatherMs: 0,
  maxWritesAtOnce: Infinity,
  retryAlone: true,
  write: async (rows: NewMessageRow[]) => {
    const inserted = new Set(
      (rows.some((r) => r.webhookEvent)
        ? await db.$transaction(async (tx) => {
            const ids = await insertMessageRows(rows, tx);
            const stored = new Set(ids.map((r) => r.id));
            // A replayed key made no message, so no event either.
            await writeWebhookEvents(
              tx,
              rows.filter((r) => stored.has(r.id)).map((r) => r.webhookEvent ?? null),
            );
            return ids;
          })
        : await insertMessageRows(rows)
      ).map((r) => r.id),
    );
    return rows.map((r) => (inserted.has(r.id) ? "inserted" : "duplicate"));
  },
});

/**
 * A message with files: its row and its attachment links in one transaction (a message is never stored without
 * its files, nor the links without the message). Not group-committed: these are rare and larger.
 */
export async function insertMessageWithAttachments(
  row: NewMessageRow,
  attachmentIds: readonly string[],
): Promise<InsertOutcome> {
  return db.$transaction(async (tx) => {
    const inserted = await insertMessageRows([row], tx);
    if (inserted.length === 0) return "duplicate";
    await writeWebhookEvents(tx, [row.webhookEvent ?? null]);
    await tx.messageAttachment.createMany({
      data: attachmentIds.map((attachmentId, position) => ({ messageId: row.id, attachmentId, position })),
    });
    return "inserted";
  });
}

/** The columns of a new outbox row, as jsonRows carries them (lib/db/json-rows.ts). */
const messageColumns = {
  id: "text",
  userId: "text",
  senderId: "text",
  idempotencyKey: "text",
  requestHash: "text",
  messageIdHeader: "text",
  fromName: "text",
  fromEmail: "text",
  to: "json",
  cc: "json",
  bcc: "json",
  subject: "text",
  html: "text",
  searchText: "text",
  status: "text",
  attempts: "integer",
  nextAttemptAt: "timestamp",
  sendAt: "timestamp",
  createdAt: "timestamp",
  recipientCount: "integer",
  attachmentBytes: "integer",
  inReplyTo: "text",
  references: "text",
  forwardOf: "text",
} as const;

/**
 * The one multi-row INSERT of outbox rows, also used by the campaign feeder inside its transaction (`client`).
 * A row whose id or idempotency key is taken is left out, silently: the ids returned are those inserted.
 * The rows travel as one JSON parameter (jsonRows), not one parameter per cell: with two dozen columns, the
 * client's work per parameter cost more than the database's per row.
 */
export function insertMessageRows(
  rows: NewMessageRow[],
  client: Pick<Prisma.TransactionClient, "$queryRaw"> = db,
): Promise<{ id: string }[]> {
  const v = jsonRows(
    messageColumns,
    rows.map((r) => ({
      ...r,
      attachmentBytes: r.attachmentBytes ?? 0,
      inReplyTo: r.inReplyTo ?? null,
      references: r.references ?? null,
      forwardOf: r.forwardOf ?? null,
    })),
  );
  // "WHERE true": SQLite reads an INSERT … SELECT's ON CONFLICT as a join's ON without a WHERE before it.
  return client.$queryRaw<{ id: string }[]>`
    INSERT INTO "Message" ("id", "userId", "senderId", "idempotencyKey", "requestHash", "messageIdHeader",
      "fromName", "fromEmail", "to", "cc", "bcc", "subject", "html", "searchText", "status", "attempts",
      "nextAttemptAt", "sendAt", "createdAt", "updatedAt", "recipientCount", "attachmentBytes", "inReplyTo",
      "references", "forwardOf")
    SELECT v."id", v."userId", v."senderId", v."idempotencyKey", v."requestHash", v."messageIdHeader",
      v."fromName", v."fromEmail", v."to", v."cc", v."bcc", v."subject", v."html", v."searchText", v."status",
      v."attempts", v."nextAttemptAt", v."sendAt", v."createdAt", v."createdAt", v."recipientCount",
      v."attachmentBytes", v."inReplyTo", v."references", v."forwardOf"
    FROM ${v} AS v WHERE true
    ON CONFLICT DO NOTHING
    RETURNING "id"`;
}
