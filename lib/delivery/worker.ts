import "server-only";
import { db } from "@/lib/db/client";
import { newTimeOrderedId } from "@/lib/db/ids";
import { deliverMessage } from "@/lib/delivery/deliver";
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
import { SenderCapacity } from "@/lib/delivery/sender-capacity";
import { limitsFor } from "@/lib/delivery/sender-limits";
import { sqliteDeliveryThread } from "@/lib/delivery/sqlite-delivery-thread";
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

  const tick = () => {
    if (stopped) return;
    if (running) {
      again = true;
      // A pass waiting for messages in flight to settle looks at the new work now instead.
      wakeWaitingPass();
      return;
    }
    clearTimeout(timer);
    beat();
    running = runOnce()
      .catch((error) => log.error({ err: error }, "delivery worker pass failed"))
      .finally(() => {
        running = null;
        if (stopped) return;
        if (again) {
          again = false;
          setImmediate(tick);
        } else {
          timer = setTimeout(tick, Math.min(pollMs, wakeInMs));
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
  let charsInFlight = 0;
  const charsLow = () => charsInFlight <= maxInFlightChars / 2;
  const wakeWaitingPass = () => {
    settled?.();
    settled = null;
  };

  async function runOnce(): Promise<void> {
    for (;;) {
      const free = concurrency - inFlight.size;
      const budget =
        inFlight.size === 0 ? maxInFlightChars : charsLow() ? maxInFlightChars - charsInFlight : 0;
      if ((free >= refillAt && budget > 0) || inFlight.size === 0) {
        beat();
        const claim = await claimDueMessages(free, budget, leaseMs, capacity, senderCursor, orphansDue());
        if (claim.retryInMs !== undefined) wakeInMs = Math.min(wakeInMs, claim.retryInMs);
        for (const message of claim.messages) {
          const senderKey = message.senderId ?? NO_SENDER;
          const size = bodySize(message);
          charsInFlight += size;
          const job = deliverMessage(message).finally(() => {
            inFlight.delete(job);
            charsInFlight -= size;
            capacity.release(senderKey);
            // Worth another claim only when it can take something: room in this message's sender, or free
            // slots and bodies while due work was left behind. Waking for every settled message would spend
            // the time on claims that find nothing.
            if (!settled || !charsLow()) return;
            if (
              (leftDueWork && concurrency - inFlight.size >= refillAt) ||
              capacity.hasRoomToRefill(senderKey)
            ) {
              wakeWaitingPass();
            }
          });
          inFlight.add(job);
        }
        leftDueWork = claim.messages.length >= free || !charsLow();
        // Another claim right away only when it could take something; otherwise it would find every sender
        // full and cost its statements for nothing. Settling messages wake the pass when there is room.
        if (claim.messages.length > 0 && claim.more) continue;
        // Nothing claimable: done, unless a sender only waits for its own messages in flight to settle.
        if (claim.messages.length === 0 && (!claim.sendersBusy || inFlight.size === 0)) break;
      }
      await new Promise<void>((resolve) => (settled = resolve));
    }
    await Promise.all(inFlight);
  }

  const unsubscribe = onDeliveryWake(tick);
  timer = setTimeout(tick, 0);

  return {
    async stop() {
      stopped = true;
      unsubscribe();
      clearTimeout(timer);
      await running;
      await Promise.all(inFlight);
      await forgetHeartbeat();
    },
    async drain() {
      // A pass already under way may have looked before the caller's latest changes: let it finish, then
      // run one that starts now.
      while (running) await running;
      orphansCheckedAt = -Infinity;
      tick();
      while (running) await running;
    },
  };
}

const NO_SENDER = "";

type PlannedClaim = { due: DueSender; sender: Sender | null; count: number };

/** Every claim of a pass, in one transaction: on SQLite on the delivery thread, on PostgreSQL through Prisma. */
async function claimPlanned(
  plan: PlannedClaim[],
  charBudget: number,
  now: Date,
  leaseMs: number,
): Promise<ClaimedMessage[]> {
  const thread = sqliteDeliveryThread();
  if (thread) {
    const senders = new Map(plan.map((p) => [p.due.senderId, p.sender]));
    const steps = plan.map(({ due, count }) => ({
      ...due,
      count,
      eventIds: due.leaseExpired ? Array.from({ length: count }, () => newTimeOrderedId(now.getTime())) : [],
    }));
    const rows = await thread.claim(steps, charBudget, now, leaseMs, INTERRUPTED_DETAIL);
    return rows.map((raw) => {
      const row = fromRaw(raw);
      return { ...row, sender: senders.get(row.senderId) ?? null };
    });
  }
  return db.$transaction(async (tx) => {
    const taken: ClaimedMessage[] = [];
    let chars = charBudget;
    for (const { due: entry, sender, count } of plan) {
      const won = await claimForSender(tx, entry, count, chars, now, leaseMs);
      for (const row of won) {
        taken.push({ ...row, sender });
        chars -= bodySize(row);
      }
    }
    return taken;
  });
}

/** How many senders one pass looks at; the rest wait for the next pass, moments later. */
const SENDERS_PER_PASS = 32;
const ORPHAN_CHECK_MS = 1000;

type Claim = {
  messages: ClaimedMessage[];
  /** Some due messages wait for their sender's connections, which free up as messages in flight settle. */
  sendersBusy: boolean;
  /** Another claim now might take more: senders were left unvisited, or the worker's own limit cut it. */
  more: boolean;
  retryInMs?: number;
};

/**
 * Claims up to `limit` due messages, sender by sender, no more of each sender's than its pool and limits can
 * take now. A sender with no room is passed over, so one slow sender never holds up the others.
 */
async function claimDueMessages(
  limit: number,
  charBudget: number,
  leaseMs: number,
  capacity: SenderCapacity,
  cursor: { after: string },
  orphans: boolean,
): Promise<Claim> {
  const now = new Date();
  let sendersBusy = false;
  let retryInMs: number | undefined;

  // First what each sender can take (reads only), then every claim of the pass in one transaction: one
  // commit, however many senders.
  const plan: PlannedClaim[] = [];
  let planned = 0;
  const due = await sendersWithDueWork(now, cursor.after, SENDERS_PER_PASS, { orphans });
  for (const entry of due) {
    if (planned >= limit) break;
    if (entry.senderId === null) {
      // Their sender was removed: claimed only to be failed with that reason.
      plan.push({ due: entry, sender: null, count: limit - planned });
      planned = limit;
      continue;
    }
    cursor.after = entry.senderId;
    const sender = await db.sender.findUnique({ where: { id: entry.senderId } });
    if (!sender) continue;
    const available = await capacity.available(sender.id, limitsFor(sender));
    if (available.count === 0) {
      if (available.retryInMs === undefined) sendersBusy = true;
      else retryInMs = Math.min(retryInMs ?? Infinity, available.retryInMs);
      continue;
    }
    const count = Math.min(limit - planned, available.count);
    plan.push({ due: entry, sender, count });
    planned += count;
  }
  // With fewer senders than a pass can take, the next pass starts from the first one again.
  if (due.length < SENDERS_PER_PASS) cursor.after = "";
  if (plan.length === 0) return { messages: [], sendersBusy, more: false, retryInMs };

  const claimed = await claimPlanned(plan, charBudget, now, leaseMs);
  const won = new Map<string, number>();
  for (const m of claimed) if (m.senderId) won.set(m.senderId, (won.get(m.senderId) ?? 0) + 1);
  for (const { sender } of plan) if (sender) capacity.take(sender.id, won.get(sender.id) ?? 0);
  const more = due.length >= SENDERS_PER_PASS || planned >= limit;
  return { messages: claimed, sendersBusy, more, retryInMs };
}
