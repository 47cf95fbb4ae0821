import type { RecipientOutcome } from "@/lib/delivery/recipient-outcomes";
import { parseOutcomes } from "@/lib/delivery/recipient-outcomes";
import type { Sender } from "@/lib/generated/prisma/client";
import type { NewMessageRow } from "@/lib/messages/insert-batcher";
import type { Recipient } from "@/lib/validation/messages";

// A message as a claim hands it to the worker, and the rules of a claim's body budget.

/** What the worker needs of a claimed message to send it and record the outcome; the claim returns it. */
export type ClaimedRow = Pick<
  NewMessageRow,
  | "id"
  | "userId"
  | "messageIdHeader"
  | "fromName"
  | "fromEmail"
  | "to"
  | "cc"
  | "bcc"
  | "subject"
  | "html"
  | "inReplyTo"
  | "references"
> & {
  /** Null once the sender was removed. */
  senderId: string | null;
  text: string | null;
  /** Counting the attempt this claim starts. */
  attempts: number;
  createdAt: Date;
  /** What earlier attempts settled per recipient; null when none was tried or all were accepted. */
  recipientOutcomes: RecipientOutcome[] | null;
  /** The attachments' encoded size; 0 for a message without files (which then reads none). */
  attachmentBytes: number;
};

/** A claimed message with its sender (null once the sender was removed). */
export type ClaimedMessage = ClaimedRow & { sender: Sender | null };

/** The columns a claim reads, in SQL. */
export const CLAIMED_COLUMNS =
  '"id", "userId", "senderId", "messageIdHeader", "fromName", "fromEmail", "to", "cc", "bcc", "subject", ' +
  '"html", "text", "attempts", "createdAt", "recipientOutcomes", "attachmentBytes", "inReplyTo", "references"';

// Raw rows carry JSON as text on SQLite (parsed on PostgreSQL) and may carry dates as text.
export type RawClaimedRow = Omit<
  ClaimedRow,
  "to" | "cc" | "bcc" | "createdAt" | "attempts" | "recipientOutcomes" | "attachmentBytes"
> & {
  attachmentBytes: number | bigint;
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
    attachmentBytes: Number(row.attachmentBytes),
  };
}

/**
 * The characters of a message's bodies and its attachments' encoded bytes, as the claim's budget counts them:
 * the worker holds a message with its files whole while it is sent.
 */
type Sized = Pick<ClaimedRow, "html" | "text"> & { attachmentBytes: number | bigint };
export const bodySize = (m: Sized): number =>
  m.html.length + (m.text?.length ?? 0) + Number(m.attachmentBytes);

/**
 * One message larger than a claim's budget may go, once per pass, and only while no other such message is in
 * flight (the worker says so): it is taken alone as a sender's first, and the pass's `used` it.
 */
export type OversizeAllowance = { allowed: boolean };

/**
 * The rows, oldest first, whose bodies fit in `budget` characters; the first one even when it alone is
 * larger, if the allowance is still there (then used up).
 */
export function fitToBudget<T extends Sized>(rows: T[], budget: number, oversize: OversizeAllowance): T[] {
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
