import "server-only";
import { db } from "@/lib/db/client";
import { retryWhileBusy } from "@/lib/db/errors";
import { groupCommit } from "@/lib/db/group-commit";
import { bodySize, type ClaimedMessage } from "@/lib/delivery/claimed-message";
import { claimMessages } from "@/lib/delivery/sql/claim-messages";
import { findDueSenders, type DueSender } from "@/lib/delivery/sql/find-due-senders";
import { recordSentMessages, type SentRecord } from "@/lib/delivery/sql/record-sent";
import type { Sender } from "@/lib/generated/prisma/client";
import { writeWebhookEvents } from "@/lib/webhooks/outbox";

// What the delivery worker asks of the database, in one interface. Each operation's SQL is written once, in
// lib/delivery/sql/ (one file per operation), and serves both databases: where they differ, the difference
// comes from lib/db/dialect.ts, the one place that knows which database is in use.

/** One sender's part of a claim pass, as the planner (lib/delivery/planner.ts) made it. */
export type PlannedClaim = { due: DueSender; sender: Sender | null; count: number; chars: number };

export interface DeliveryStore {
  /** Senders with due work, from `after` on in id order; see lib/delivery/sql/find-due-senders.ts. */
  findDueSenders(
    now: Date,
    after: string,
    limit: number,
    options: { orphans: boolean },
  ): Promise<DueSender[]>;
  /** Every claim of a pass, in order, in one transaction (one commit however many senders). */
  claim(
    plan: PlannedClaim[],
    charBudget: number,
    mayExceed: boolean,
    now: Date,
    leaseMs: number,
  ): Promise<ClaimedMessage[]>;
  /**
   * Stores a message every recipient accepted. Resolves once it is committed; until then it is still
   * "sending" under its lease, so a crash at worst sends it again with the same Message-ID. Its webhook
   * event, if any, is committed with it.
   */
  recordSent(record: SentRecord): Promise<void>;
}

/**
 * Outcomes written together: those accepted within 10 ms, or while the previous batch was written. A row's
 * cost falls with the batch (the pages of the status indexes are written once per commit, not once per row),
 * and 10 ms more "sending" holds nothing up: the sender's window has room for hundreds in flight.
 */
const recordSent = groupCommit<SentRecord, void>({
  maxBatch: 1000,
  gatherMs: 10,
  maxWritesAtOnce: 1,
  write: async (records) => {
    const events = records.map((r) => r.event ?? null).filter((e) => e !== null);
    if (events.length === 0) await recordSentMessages(db, records);
    else
      await db.$transaction(async (tx) => {
        await recordSentMessages(tx, records);
        await writeWebhookEvents(tx, events);
      });
    return records.map(() => undefined);
  },
});

export const deliveryStore: DeliveryStore = {
  findDueSenders: (now, after, limit, options) => findDueSenders(db, now, after, limit, options),
  claim: (plan, charBudget, mayExceed, now, leaseMs) =>
    db.$transaction(async (tx) => {
      const taken: ClaimedMessage[] = [];
      const oversize = { allowed: mayExceed };
      let left = charBudget;
      for (const { due, sender, count, chars } of plan) {
        const won = await claimMessages(tx, due, count, Math.min(left, chars), now, leaseMs, oversize);
        for (const row of won) {
          taken.push({ ...row, sender });
          left -= bodySize(row);
        }
      }
      return taken;
    }),
  // A message the server accepted must not be left "sending" (to be sent again when its lease runs out) because
  // the database was busy for a moment when its outcome was written.
  recordSent: (record) => retryWhileBusy(() => recordSent(record)),
};
