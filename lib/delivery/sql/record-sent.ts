import "server-only";
import { jsonRows } from "@/lib/db/json-rows";
import type { DbClient } from "@/lib/delivery/sql/db-client";
import type { OutboxEvent } from "@/lib/webhooks/outbox";

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
  /** Its webhook event (lib/webhooks/outbox.ts), written in the same transaction; null when none is wanted. */
  event?: OutboxEvent | null;
};

const sentColumns = {
  id: "text",
  sentAt: "timestamp",
  text: "text",
  response: "text",
  accepted: "json",
  rejected: "json",
} as const;

/**
 * Marks accepted messages sent, one statement for the lot. No timeline entry is written: the row's sentAt,
 * reply and per-recipient results are the "sent" step (lib/messages/timeline.ts), which saves an insert per
 * message.
 */
export async function recordSentMessages(client: DbClient, records: SentRecord[]): Promise<number> {
  const v = jsonRows(sentColumns, records);
  return client.$executeRaw`
    UPDATE "Message" SET "status" = 'sent', "sentAt" = v."sentAt", "updatedAt" = v."sentAt", "text" = v."text",
      "smtpResponse" = v."response", "accepted" = v."accepted", "rejected" = v."rejected",
      "leaseUntil" = NULL, "lastError" = NULL
    FROM ${v} AS v WHERE "Message"."id" = v."id"`;
}
