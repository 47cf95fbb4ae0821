import "server-only";
import { db } from "@/lib/db/client";
import { bodySize, type ClaimedMessage } from "@/lib/delivery/claimed-message";
import type { SenderCapacity, WorkerRoom } from "@/lib/delivery/sender-capacity";
import { limitsFor } from "@/lib/delivery/sender-limits";
import { signInRefusedHere } from "@/lib/delivery/sign-in-failures";
import type { DeliveryStore, PlannedClaim } from "@/lib/delivery/store";

// The planner of the delivery worker (lib/delivery/worker.ts): which senders have due work and how many
// messages each may take now — no more than its pool, its limits and its share of the worker allow — then
// every claim of the pass in one transaction (lib/delivery/store.ts).

/** How many senders one pass looks at; the rest wait for the next pass, moments later. */
const SENDERS_PER_PASS = 32;

/** The worker's room as a pass starts, and whether one message larger than its share may go. */
export type PassRoom = WorkerRoom & { mayExceed: boolean };

export type Claim = {
  /** Each with the characters charged to its sender's share: its size, or for one larger message the share. */
  messages: { message: ClaimedMessage; charge: number }[];
  /** Some due messages wait for their sender's room, which frees up as messages in flight settle. */
  sendersBusy: boolean;
  /** Another claim now might take more: senders were left unvisited, or the worker's own limit cut it. */
  more: boolean;
  retryInMs?: number;
};

/**
 * Claims due messages, sender by sender, no more of each sender's than its pool, its limits and its share of
 * the worker can take now. A sender with no room is passed over, so one slow sender never holds up the others.
 */
export async function claimDueMessages(
  store: DeliveryStore,
  room: PassRoom,
  leaseMs: number,
  capacity: SenderCapacity,
  cursor: { after: string },
  orphans: boolean,
): Promise<Claim> {
  const now = new Date();
  let sendersBusy = false;
  let retryInMs: number | undefined;

  // First what each sender can take (reads only), then every claim of the pass in one transaction: one
  // commit, however many senders. Each sender's share is taken from what the senders before it left.
  const plan: PlannedClaim[] = [];
  const left: WorkerRoom = { freeSlots: room.freeSlots, freeChars: room.freeChars, idle: room.idle };
  const due = await store.findDueSenders(now, cursor.after, SENDERS_PER_PASS, { orphans });
  for (const entry of due) {
    if (left.freeSlots <= 0 || left.freeChars <= 0) break;
    if (entry.senderId === null) {
      // Their sender was removed: claimed only to be failed with that reason.
      plan.push({ due: entry, sender: null, count: left.freeSlots, chars: left.freeChars });
      left.freeSlots = 0;
      continue;
    }
    cursor.after = entry.senderId;
    const sender = await db.sender.findUnique({ where: { id: entry.senderId } });
    // A sender whose sign-in was refused waits for the user's fix: its messages stay queued, unclaimed.
    if (!sender || sender.authFailedAt || signInRefusedHere(sender)) continue;
    const available = await capacity.available(sender.id, limitsFor(sender), left);
    if (available.count === 0) {
      if (available.retryInMs === undefined) sendersBusy = true;
      else retryInMs = Math.min(retryInMs ?? Infinity, available.retryInMs);
      continue;
    }
    plan.push({ due: entry, sender, count: available.count, chars: available.chars });
    left.freeSlots -= available.count;
    left.freeChars -= available.chars;
    left.idle = false;
  }
  // With fewer senders than a pass can take, the next pass starts from the first one again.
  if (due.length < SENDERS_PER_PASS) cursor.after = "";
  if (plan.length === 0) return { messages: [], sendersBusy, more: false, retryInMs };

  const claimed = await store.claim(plan, room.freeChars, room.mayExceed, now, leaseMs);
  const messages: Claim["messages"] = [];
  for (const { sender, chars } of plan) {
    const key = sender?.id ?? null;
    let share = chars;
    let won = 0;
    for (const message of claimed) {
      if (message.senderId !== key) continue;
      const charge = Math.min(bodySize(message), share);
      share -= charge;
      won += 1;
      messages.push({ message, charge });
    }
    if (sender) capacity.take(sender.id, won, chars - share);
  }
  const more = due.length >= SENDERS_PER_PASS || left.freeSlots <= 0;
  return { messages, sendersBusy, more, retryInMs };
}
