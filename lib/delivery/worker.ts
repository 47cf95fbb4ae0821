import "server-only";
import { db } from "@/lib/db/client";
import { claimDueMessages } from "@/lib/delivery/claim-pass";
import { deliverOrFail } from "@/lib/delivery/fail-safe";
import { beat, forgetHeartbeat } from "@/lib/delivery/heartbeat";
import { bodySize } from "@/lib/delivery/claims";
import type { ClaimedMessage } from "@/lib/delivery/deliver";
import { SenderCapacity } from "@/lib/delivery/sender-capacity";
import { limitsFor } from "@/lib/delivery/sender-limits";
import { quarantineRepeatedInterruptions } from "@/lib/delivery/quarantine";
import { onDeliveryWake } from "@/lib/delivery/wake";
import { env } from "@/lib/env";
import { log } from "@/lib/log/logger";

export type DeliveryWorkerOptions = {
  pollMs: number;
  /** Messages in flight at most. */
  concurrency: number;
  /** Characters of message bodies in flight at most (one larger message at a time may go past it). */
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
          { freeSlots: free, freeChars, mayExceed: !oversizeInFlight, idle: inFlight.size === 0 },
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
    const settle = (accepted: boolean) => {
      inFlight.delete(job);
      charsInFlight -= charge;
      if (oversize) oversizeInFlight = false;
      if (message.sender) capacity.release(senderKey, charge, accepted, limitsFor(message.sender));
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
    };
    const job: Promise<void> = deliverOrFail(message).then(settle, () => settle(false));
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
const ORPHAN_CHECK_MS = 1000;
