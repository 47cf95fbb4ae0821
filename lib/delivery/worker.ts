import "server-only";
import { db } from "@/lib/db/client";
import { deliverMessage } from "@/lib/delivery/deliver";
import { beat, forgetHeartbeat } from "@/lib/delivery/heartbeat";
import { claimForSender, loadClaimed, sendersWithDueWork } from "@/lib/delivery/claims";
import { SenderCapacity } from "@/lib/delivery/sender-capacity";
import { limitsFor } from "@/lib/delivery/sender-limits";
import { onDeliveryWake } from "@/lib/delivery/wake";
import { log } from "@/lib/log/logger";

export type DeliveryWorkerOptions = { pollMs: number; concurrency: number; leaseMs?: number };
export type DeliveryWorker = { stop: () => Promise<void>; drain: () => Promise<void> };

/**
 * Claims due messages with a lease and sends them. A message whose lease expired (its worker died mid-send)
 * is claimed again; its Message-ID stays the same, so a receiving server can spot the repeat.
 */
export function startDeliveryWorker({
  pollMs,
  concurrency,
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

  const tick = () => {
    if (stopped) return;
    if (running) {
      again = true;
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

  async function runOnce(): Promise<void> {
    for (;;) {
      const free = concurrency - inFlight.size;
      if (free >= refillAt || inFlight.size === 0) {
        beat();
        const claim = await claimDueMessages(free, leaseMs, capacity, senderCursor);
        if (claim.retryInMs !== undefined) wakeInMs = Math.min(wakeInMs, claim.retryInMs);
        for (const message of claim.messages) {
          const senderKey = message.senderId ?? NO_SENDER;
          const job = deliverMessage(message).finally(() => {
            inFlight.delete(job);
            capacity.release(senderKey);
            if (settled && (concurrency - inFlight.size >= refillAt || capacity.hasRoomToRefill(senderKey))) {
              settled();
              settled = null;
            }
          });
          inFlight.add(job);
        }
        if (claim.messages.length > 0) continue;
        // Nothing claimable: done, unless a sender only waits for its own messages in flight to settle.
        if (!claim.sendersBusy || inFlight.size === 0) break;
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
      tick();
      while (running) await running;
    },
  };
}

const NO_SENDER = "";
/** How many senders one pass looks at; the rest wait for the next pass, moments later. */
const SENDERS_PER_PASS = 32;

type Claim = {
  messages: Awaited<ReturnType<typeof loadClaimed>>;
  /** Some due messages wait for their sender's connections, which free up as messages in flight settle. */
  sendersBusy: boolean;
  retryInMs?: number;
};

/**
 * Claims up to `limit` due messages, sender by sender, no more of each sender's than its pool and limits can
 * take now. A sender with no room is passed over, so one slow sender never holds up the others.
 */
async function claimDueMessages(
  limit: number,
  leaseMs: number,
  capacity: SenderCapacity,
  cursor: { after: string },
): Promise<Claim> {
  const now = new Date();
  const claimed: string[] = [];
  let sendersBusy = false;
  let retryInMs: number | undefined;

  const due = await sendersWithDueWork(now, cursor.after, SENDERS_PER_PASS);
  for (const { senderId } of due) {
    if (claimed.length >= limit) break;
    if (senderId === null) {
      // Their sender was removed: claimed only to be failed with that reason.
      claimed.push(...(await claimForSender(null, limit - claimed.length, now, leaseMs)));
      continue;
    }
    cursor.after = senderId;
    const sender = await db.sender.findUnique({ where: { id: senderId }, select: senderLimitFields });
    if (!sender) continue;
    const available = await capacity.available(senderId, limitsFor(sender));
    if (available.count === 0) {
      if (available.retryInMs === undefined) sendersBusy = true;
      else retryInMs = Math.min(retryInMs ?? Infinity, available.retryInMs);
      continue;
    }
    const won = await claimForSender(
      senderId,
      Math.min(limit - claimed.length, available.count),
      now,
      leaseMs,
    );
    capacity.take(senderId, won.length);
    claimed.push(...won);
  }
  // With fewer senders than a pass can take, the next pass starts from the first one again.
  if (due.length < SENDERS_PER_PASS) cursor.after = "";
  return { messages: claimed.length ? await loadClaimed(claimed) : [], sendersBusy, retryInMs };
}

const senderLimitFields = {
  preset: true,
  maxConnections: true,
  maxPerSecond: true,
  maxPerDay: true,
} as const;
