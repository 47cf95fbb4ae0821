import "server-only";
import { db } from "@/lib/db/client";
import { newTimeOrderedId } from "@/lib/db/ids";
import { deliverOrFail } from "@/lib/delivery/fail-safe";
import { beat, forgetHeartbeat } from "@/lib/delivery/heartbeat";
import {
  bodySize,
  claimForSender,
  fromRaw,
  INTERRUPTED_DETAIL,
  sendersWithDueWork,
  type DueSender,
} from "@/lib/delivery/claims";
import type { Sender } from "@/lib/generated/prisma/client";
import type { ClaimedMessage } from "@/lib/delivery/deliver";
import { SenderCapacity, type WorkerRoom } from "@/lib/delivery/sender-capacity";
import { limitsFor } from "@/lib/delivery/sender-limits";
import { sqliteDeliveryThread } from "@/lib/delivery/sqlite-delivery-thread";
import { quarantineRepeatedInterruptions } from "@/lib/delivery/quarantine";
import { onDeliveryWake } from "@/lib/delivery/wake";
import { env } from "@/lib/env";
import { log } from "@/lib/log/logger";

export type DeliveryWorkerOptions = {
  pollMs: number;
  /** Messages in flight at most. */
  concurrency: number;
  /** Characters of message bodies in flight at most (one larger message still goes, alone). */
  maxInFlightChars?: number;
  leaseMs?: number;
};
export type DeliveryWorker = { stop: () => Promise<void>; drain: () => Promise<void> };

/**
 * Claims due messages with a lease and sends them. A message whose lease expired (its worker died mid-send)
 * is claimed again; its Message-ID stays the same, so a receiving server can spot the repeat.
 *
 * Claims go on while earlier messages are in flight: a pass claims what it can, then waits for messages to
 * settle or for new work (an enqueue's wake, the poll) and claims again; it never waits for a slow send to
 * finish. Each sender holds only its share of the worker's message slots and body budget (SenderCapacity),
 * so a sender whose server stalls cannot hold the room another sender's messages need.
 */
export function startDeliveryWorker({
  pollMs,
  concurrency,
  maxInFlightChars = env.DELIVERY_MAX_IN_FLIGHT_MB * 1_000_000,
  leaseMs = 5 * 60_000,
}: DeliveryWorkerOptions): DeliveryWorker {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | null = null;
  let again = false;
  const inFlight = new Set<Promise<void>>();
  const capacity = new SenderCapacity((senderId, since) =>
    db.message.count({ where: { senderId, sentAt: { gte: since } } }),
  );
  // Where the last pass stopped among senders with due work, so the next one goes on from there.
  const senderCursor = { after: "" };
  // A sender held back by its per-second limit is looked at again when its next token is due.
  let wakeInMs = Infinity;
  // Messages left by a dead worker or a removed sender are looked for once a second, not on every pass.
  let orphansCheckedAt = -Infinity;
  const orphansDue = () => {
    if (performance.now() - orphansCheckedAt < ORPHAN_CHECK_MS) return false;
    orphansCheckedAt = performance.now();
    return true;
  };
  const poll = (ms: number) => {
    clearTimeout(timer);
    timer = setTimeout(tick, ms);
  };

  const tick = () => {
    if (stopped) return;
    // The worker is alive while it looks for work, even with every slot held by messages in flight.
    beat();
    // The poll goes on while a pass waits for messages in flight, so work that became due (a scheduled
    // message, another process's enqueue) is seen whatever the messages in flight do.
    poll(pollMs);
    if (running) {
      again = true;
      // A pass waiting for messages in flight to settle looks at the new work now instead.
      wakeWaitingPass();
      return;
    }
    running = runOnce()
      .catch((error) => log.error({ err: error }, "delivery worker pass failed"))
      .finally(() => {
        running = null;
        if (stopped) return;
        if (again) {
          again = false;
          setImmediate(tick);
        } else {
          poll(Math.min(pollMs, wakeInMs));
        }
        wakeInMs = Infinity;
      });
  };

  // Claims are refilled in batches: a claim costs a few statements whatever its size, so topping up one
  // message at a time as each settles would spend the time on claiming instead of sending.
  const refillAt = Math.max(1, Math.floor(concurrency / 4));
  let settled: (() => void) | null = null;
  // The last claim stopped at the worker's own limits, so due work may be left that any free slot could take.
  let leftDueWork = false;
  // Characters of bodies in flight, as charged to their senders' shares (a larger message: its share).
  let charsInFlight = 0;
  // The one message in flight that is larger than its share of the budget, if any (see fitToBudget).
  let oversizeInFlight = false;
  const wakeWaitingPass = () => {
    settled?.();
    settled = null;
  };

  async function runOnce(): Promise<void> {
    for (;;) {
      if (stopped) return;
      const free = concurrency - inFlight.size;
      const freeChars = maxInFlightChars - charsInFlight;
      if (free > 0 && freeChars > 0) {
        beat();
        const orphans = orphansDue();
        // A message that keeps interrupting its worker is stopped before it could be retaken.
        if (orphans) await quarantineRepeatedInterruptions(new Date());
        const claim = await claimDueMessages(
          { freeSlots: free, freeChars, mayExceed: !oversizeInFlight },
          leaseMs,
          capacity,
          senderCursor,
          orphans,
        );
        if (claim.retryInMs !== undefined) wakeInMs = Math.min(wakeInMs, claim.retryInMs);
        for (const { message, charge } of claim.messages) start(message, charge);
        leftDueWork = claim.messages.length >= free || charsInFlight > maxInFlightChars / 2;
        // Another claim right away only when it could take something; otherwise it would find every sender
        // full and cost its statements for nothing. Settling messages wake the pass when there is room.
        if (claim.messages.length > 0 && claim.more) continue;
        // Nothing claimable: done, unless a sender only waits for its own messages in flight to settle. The
        // messages in flight go on without the pass; new work starts a new one.
        if (claim.messages.length === 0 && (!claim.sendersBusy || inFlight.size === 0)) break;
      }
      await new Promise<void>((resolve) => (settled = resolve));
    }
  }

  function start(message: ClaimedMessage, charge: number) {
    const senderKey = message.senderId ?? NO_SENDER;
    const oversize = charge < bodySize(message);
    charsInFlight += charge;
    if (oversize) oversizeInFlight = true;
    const job = deliverOrFail(message).finally(() => {
      inFlight.delete(job);
      charsInFlight -= charge;
      if (oversize) oversizeInFlight = false;
      capacity.release(senderKey, charge);
      if (!settled) {
        // Another large message may have been left for this one to finish: look now, not at the next poll.
        if (oversize && !running) tick();
        return;
      }
      // Worth another claim only when it can take something: room in this message's sender, or free slots
      // while due work was left behind. Waking for every settled message would spend the time on claims
      // that find nothing.
      if ((leftDueWork && concurrency - inFlight.size >= refillAt) || capacity.hasRoomToRefill(senderKey)) {
        wakeWaitingPass();
      }
    });
    inFlight.add(job);
  }

  const unsubscribe = onDeliveryWake(tick);
  timer = setTimeout(tick, 0);

  // Until no pass runs and nothing is in flight (a settled message may have started another pass).
  const settleAll = async () => {
    while (running || inFlight.size > 0) {
      await running;
      await Promise.all(inFlight);
    }
  };

  return {
    async stop() {
      stopped = true;
      unsubscribe();
      clearTimeout(timer);
      wakeWaitingPass();
      await settleAll();
      await forgetHeartbeat();
    },
    async drain() {
      // A pass already under way may have looked before the caller's latest changes: let it and its messages
      // finish, then run one that starts now.
      await settleAll();
      orphansCheckedAt = -Infinity;
      tick();
      await settleAll();
    },
  };
}

const NO_SENDER = "";

type PlannedClaim = { due: DueSender; sender: Sender | null; count: number; chars: number };

/** Every claim of a pass, in one transaction: on SQLite on the delivery thread, on PostgreSQL through Prisma. */
async function claimPlanned(
  plan: PlannedClaim[],
  charBudget: number,
  mayExceed: boolean,
  now: Date,
  leaseMs: number,
): Promise<ClaimedMessage[]> {
  const thread = sqliteDeliveryThread();
  if (thread) {
    const senders = new Map(plan.map((p) => [p.due.senderId, p.sender]));
    const steps = plan.map(({ due, count, chars }) => ({
      ...due,
      count,
      charBudget: chars,
      eventIds: due.leaseExpired ? Array.from({ length: count }, () => newTimeOrderedId(now.getTime())) : [],
    }));
    const rows = await thread.claim(steps, charBudget, mayExceed, now, leaseMs, INTERRUPTED_DETAIL);
    return rows.map((raw) => {
      const row = fromRaw(raw);
      return { ...row, sender: senders.get(row.senderId) ?? null };
    });
  }
  return db.$transaction(async (tx) => {
    const taken: ClaimedMessage[] = [];
    const oversize = { allowed: mayExceed };
    let left = charBudget;
    for (const { due: entry, sender, count, chars } of plan) {
      const won = await claimForSender(tx, entry, count, Math.min(left, chars), now, leaseMs, oversize);
      for (const row of won) {
        taken.push({ ...row, sender });
        left -= bodySize(row);
      }
    }
    return taken;
  });
}

/** How many senders one pass looks at; the rest wait for the next pass, moments later. */
const SENDERS_PER_PASS = 32;
const ORPHAN_CHECK_MS = 1000;

/** The worker's room as a pass starts, and whether one message larger than its share may go. */
type PassRoom = WorkerRoom & { mayExceed: boolean };

type Claim = {
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
async function claimDueMessages(
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
  const left: WorkerRoom = { freeSlots: room.freeSlots, freeChars: room.freeChars };
  const due = await sendersWithDueWork(now, cursor.after, SENDERS_PER_PASS, { orphans });
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
    if (!sender || sender.authFailedAt) continue;
    const available = await capacity.available(sender.id, limitsFor(sender), left);
    if (available.count === 0) {
      if (available.retryInMs === undefined) sendersBusy = true;
      else retryInMs = Math.min(retryInMs ?? Infinity, available.retryInMs);
      continue;
    }
    plan.push({ due: entry, sender, count: available.count, chars: available.chars });
    left.freeSlots -= available.count;
    left.freeChars -= available.chars;
  }
  // With fewer senders than a pass can take, the next pass starts from the first one again.
  if (due.length < SENDERS_PER_PASS) cursor.after = "";
  if (plan.length === 0) return { messages: [], sendersBusy, more: false, retryInMs };

  const claimed = await claimPlanned(plan, room.freeChars, room.mayExceed, now, leaseMs);
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
