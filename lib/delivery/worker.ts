import "server-only";
import { startCampaignFeeder } from "@/lib/campaigns/feeder";
import { db } from "@/lib/db/client";
import { bodySize, type ClaimedMessage } from "@/lib/delivery/claimed-message";
import { deliverOrFail } from "@/lib/delivery/fail-safe";
import { beat, forgetHeartbeat } from "@/lib/delivery/heartbeat";
import { claimDueMessages } from "@/lib/delivery/planner";
import { quarantineRepeatedInterruptions } from "@/lib/delivery/quarantine";
import { SenderCapacity } from "@/lib/delivery/sender-capacity";
import { limitsFor } from "@/lib/delivery/sender-limits";
import { deliveryStore, type DeliveryStore } from "@/lib/delivery/store";
import { onDeliveryWake } from "@/lib/delivery/wake";
import { env } from "@/lib/env";
import { log } from "@/lib/log/logger";

export type DeliveryWorkerOptions = {
  /** How often the worker looks for due work unwoken (DELIVERY_POLL_MS). */
  pollMs?: number;
  /** Messages in flight at most, across all senders (DELIVERY_MAX_IN_FLIGHT; not DELIVERY_CONCURRENCY, which is connections per sender). */
  maxInFlight?: number;
  /** Characters of message bodies in flight at most (one larger message at a time may go past it). */
  maxInFlightChars?: number;
  /** How long a claim holds a message before another worker may take it again (DELIVERY_LEASE_MS). */
  leaseMs?: number;
  store?: DeliveryStore;
};
export type DeliveryWorker = {
  /** Stops claiming, lets the messages in flight settle, and forgets this worker's heartbeat. */
  stop: () => Promise<void>;
  /** Settles everything under way, then runs one pass that starts now and settles its messages (for tests). */
  drain: () => Promise<void>;
  /** What the loop is doing now (for tests and diagnostics). */
  mode: () => Mode;
};

/**
 * What the worker's loop is doing:
 * - `claiming`: a claim pass is planning and claiming due messages (lib/delivery/planner.ts);
 * - `waiting-for-room`: the last claim left due work behind, or every slot is held: it waits for messages in
 *   flight to settle (or new work, or the poll) and claims again; it never waits for a slow send to finish;
 * - `polling`: nothing claimable was found: it waits for an enqueue's wake, the poll, or a sender's next
 *   per-second token (messages in flight go on without it);
 * - `stopping`: no more claims; the messages in flight are settling.
 */
export type Mode = "claiming" | "waiting-for-room" | "polling" | "stopping";

const TRANSITIONS: Record<Mode, readonly Mode[]> = {
  polling: ["claiming", "waiting-for-room", "stopping"],
  claiming: ["claiming", "waiting-for-room", "polling", "stopping"],
  "waiting-for-room": ["claiming", "waiting-for-room", "stopping"],
  stopping: [],
};

/** Messages left by a dead worker or a removed sender are looked for once a second, not on every pass. */
const ORPHAN_CHECK_MS = 1000;
const NO_SENDER = "";

/**
 * Claims due messages with a lease and sends them. A message whose lease expired (its worker died mid-send)
 * is claimed again; its Message-ID stays the same, so a receiving server can spot the repeat.
 *
 * Claims go on while earlier messages are in flight: each sender holds only its share of the worker's message
 * slots and body budget (SenderCapacity), so a sender whose server stalls cannot hold the room another
 * sender's messages need.
 */
export function startDeliveryWorker({
  pollMs = env.DELIVERY_POLL_MS,
  maxInFlight = env.DELIVERY_MAX_IN_FLIGHT,
  maxInFlightChars = env.DELIVERY_MAX_IN_FLIGHT_MB * 1_000_000,
  leaseMs = env.DELIVERY_LEASE_MS,
  store = deliveryStore,
}: DeliveryWorkerOptions = {}): DeliveryWorker {
  let mode: Mode = "polling";
  const enter = (next: Mode) => {
    if (!TRANSITIONS[mode].includes(next)) throw new Error(`Delivery worker: no way from ${mode} to ${next}`);
    mode = next;
  };
  // A function, not a comparison: stop() changes the mode while the loop awaits.
  const stopping = () => mode === "stopping";
  const wakeup = new Wakeup();
  const flight = new InFlight();
  const capacity = new SenderCapacity((senderId, since) =>
    db.message.count({ where: { senderId, sentAt: { gte: since } } }),
  );
  // Where the last pass stopped among senders with due work, so the next one goes on from there.
  const senderCursor = { after: "" };
  // Claims are refilled in batches: a claim costs a few statements whatever its size, so topping up one
  // message at a time as each settles would spend the time on claiming instead of sending.
  const refillAt = Math.max(1, Math.floor(maxInFlight / 4));
  // The last claim stopped at the worker's own limits, so due work may be left that any free slot could take.
  let leftDueWork = false;
  let orphansCheckedAt = -Infinity;
  // Passes that ended in `polling`, and who waits for one (drain).
  let passesEnded = 0;
  const idleWaiters: { afterPass: number; resolve: () => void }[] = [];
  const checkIdle = () => {
    if (mode !== "polling" || flight.size > 0) return;
    for (const waiter of idleWaiters.filter((w) => passesEnded >= w.afterPass)) {
      idleWaiters.splice(idleWaiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  };
  const whenIdle = (afterPass: number) =>
    new Promise<void>((resolve) => {
      idleWaiters.push({ afterPass, resolve });
      checkIdle();
    });

  async function loop(): Promise<void> {
    // A sender held back by its per-second limit is looked at again when its next token is due.
    let retryInMs = Infinity;
    while (!stopping()) {
      // The worker is alive while it looks for work, even with every slot held by messages in flight.
      beat();
      const room = { freeSlots: maxInFlight - flight.size, freeChars: maxInFlightChars - flight.chars };
      let next: Mode = "waiting-for-room";
      if (room.freeSlots > 0 && room.freeChars > 0) {
        enter("claiming");
        try {
          const claim = await claimOnce(room);
          if (claim.retryInMs !== undefined) retryInMs = Math.min(retryInMs, claim.retryInMs);
          // Another claim right away only when it could take something; otherwise it would find every
          // sender full and cost its statements for nothing. Settling messages wake the loop when there is room.
          if (claim.messages.length > 0 && claim.more) continue;
          // Nothing claimable: done, unless a sender only waits for its own messages in flight to settle.
          if (claim.messages.length === 0 && (!claim.sendersBusy || flight.size === 0)) next = "polling";
        } catch (error) {
          log.error({ err: error }, "delivery worker pass failed");
          next = "polling";
        }
        if (stopping()) break;
      }
      enter(next);
      if (next === "polling") {
        passesEnded += 1;
        checkIdle();
        await wakeup.wait(Math.min(pollMs, retryInMs));
        retryInMs = Infinity;
      } else {
        // The poll goes on while the loop waits for room, so work that became due (a scheduled message,
        // another process's enqueue) is seen whatever the messages in flight do.
        await wakeup.wait(pollMs);
      }
    }
  }

  async function claimOnce(room: { freeSlots: number; freeChars: number }) {
    const orphans = performance.now() - orphansCheckedAt >= ORPHAN_CHECK_MS;
    if (orphans) {
      orphansCheckedAt = performance.now();
      // A message that keeps interrupting its worker is stopped before it could be retaken.
      await quarantineRepeatedInterruptions(new Date());
    }
    const claim = await claimDueMessages(
      store,
      { ...room, mayExceed: !flight.oversize, idle: flight.size === 0 },
      leaseMs,
      capacity,
      senderCursor,
      orphans,
    );
    for (const { message, charge } of claim.messages) start(message, charge);
    leftDueWork = claim.messages.length >= room.freeSlots || flight.chars > maxInFlightChars / 2;
    return claim;
  }

  function start(message: ClaimedMessage, charge: number) {
    const senderKey = message.senderId ?? NO_SENDER;
    const oversize = charge < bodySize(message);
    const settle = (accepted: boolean) => {
      flight.remove(job, charge, oversize);
      if (message.sender) capacity.release(senderKey, charge, accepted, limitsFor(message.sender));
      if (mode === "polling") {
        // Another large message may have been left for this one to finish: look now, not at the next poll.
        if (oversize) wakeup.notify();
        checkIdle();
      } else if (mode === "waiting-for-room") {
        // Worth another claim only when it can take something: room in this message's sender, or free slots
        // while due work was left behind. Waking for every settled message would spend the time on claims
        // that find nothing.
        if (
          flight.size === 0 ||
          (leftDueWork && maxInFlight - flight.size >= refillAt) ||
          capacity.hasRoomToRefill(senderKey)
        ) {
          wakeup.notify();
        }
      }
    };
    const job: Promise<void> = deliverOrFail(message).then(settle, () => settle(false));
    flight.add(job, charge, oversize);
  }

  const unsubscribe = onDeliveryWake(() => wakeup.notify());
  const running = new Promise<void>((resolve) => setImmediate(resolve)).then(loop);
  // Mail-merge campaigns hand their rows to this outbox a window at a time (lib/campaigns/feeder.ts).
  const stopCampaignFeeder = startCampaignFeeder({ idleMs: Math.min(pollMs, 500) });

  let stopped: Promise<void> | null = null;
  const stop = async () => {
    enter("stopping");
    unsubscribe();
    await stopCampaignFeeder();
    wakeup.notify();
    await running;
    await flight.settled();
    await forgetHeartbeat();
  };

  return {
    mode: () => mode,
    stop: () => (stopped ??= stop()),
    async drain() {
      // A pass already under way may have looked before the caller's latest changes: let it and its messages
      // finish (at least the first pass, which starts with the worker), then run one that starts now.
      await whenIdle(Math.max(1, passesEnded));
      orphansCheckedAt = -Infinity;
      const after = passesEnded + 1;
      wakeup.notify();
      await whenIdle(after);
    },
  };
}

/** One wake-up call the loop waits for, with a timeout; a call made while the loop is busy is kept for its next wait. */
class Wakeup {
  private pending = false;
  private resolve: (() => void) | null = null;

  wait(ms: number): Promise<void> {
    if (this.pending) {
      this.pending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.notify(), ms);
      this.resolve = () => {
        clearTimeout(timer);
        this.resolve = null;
        resolve();
      };
    });
  }

  notify(): void {
    if (this.resolve) this.resolve();
    else this.pending = true;
  }
}

/** The messages in flight, with the characters of bodies they hold and whether one of them is the one larger message. */
class InFlight {
  private readonly jobs = new Set<Promise<void>>();
  chars = 0;
  /** The one message in flight that is larger than its share of the budget, if any (see fitToBudget). */
  oversize = false;

  get size(): number {
    return this.jobs.size;
  }

  add(job: Promise<void>, charge: number, oversize: boolean): void {
    this.jobs.add(job);
    this.chars += charge;
    if (oversize) this.oversize = true;
  }

  remove(job: Promise<void>, charge: number, oversize: boolean): void {
    this.jobs.delete(job);
    this.chars -= charge;
    if (oversize) this.oversize = false;
  }

  /** Until none is left (a message may settle after others started). */
  async settled(): Promise<void> {
    while (this.jobs.size > 0) await Promise.all(this.jobs);
  }
}
