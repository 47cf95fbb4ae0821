import "server-only";
import { db } from "@/lib/db/client";
import { deliverMessage } from "@/lib/delivery/deliver";
import { beat, forgetHeartbeat } from "@/lib/delivery/heartbeat";
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

  async function runOnce(): Promise<void> {
    for (;;) {
      const free = concurrency - inFlight.size;
      if (free > 0) {
        beat();
        const claim = await claimDueMessages(free, leaseMs, capacity);
        if (claim.retryInMs !== undefined) wakeInMs = Math.min(wakeInMs, claim.retryInMs);
        for (const message of claim.messages) {
          const senderKey = message.senderId ?? NO_SENDER;
          const job = deliverMessage(message).finally(() => {
            inFlight.delete(job);
            capacity.release(senderKey);
          });
          inFlight.add(job);
        }
        if (claim.messages.length > 0) continue;
        // Nothing claimable: done, unless a sender only waits for one of its own connections to free up.
        if (!claim.sendersBusy || inFlight.size === 0) break;
      }
      await Promise.race(inFlight);
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
      tick();
      while (running) await running;
    },
  };
}

const NO_SENDER = "";
const senderLimitFields = {
  preset: true,
  maxConnections: true,
  maxPerSecond: true,
  maxPerDay: true,
} as const;

type Claim = {
  messages: Awaited<ReturnType<typeof loadClaimed>>;
  /** Some due messages wait for their sender's connections, which free up as messages in flight settle. */
  sendersBusy: boolean;
  retryInMs?: number;
};

/**
 * Claims up to `limit` due messages, no more of each sender's than its pool and limits can take now. Senders
 * with no room are left out of the next look, so one slow sender never blocks the others behind it.
 */
async function claimDueMessages(limit: number, leaseMs: number, capacity: SenderCapacity): Promise<Claim> {
  const now = new Date();
  const full = new Set<string>();
  const claimed: string[] = [];
  let sendersBusy = false;
  let retryInMs: number | undefined;

  for (let round = 0; round < 4 && claimed.length < limit; round++) {
    const wanted = limit - claimed.length;
    const candidates = await db.message.findMany({
      where: {
        OR: [
          { status: "queued", nextAttemptAt: { lte: now } },
          { status: "sending", leaseUntil: { lt: now } },
        ],
        ...(full.size ? { NOT: { senderId: { in: [...full] } } } : {}),
      },
      orderBy: { nextAttemptAt: "asc" },
      take: wanted * 2,
      select: {
        id: true,
        status: true,
        leaseUntil: true,
        senderId: true,
        sender: { select: senderLimitFields },
      },
    });
    if (candidates.length === 0) break;

    const bySender = groupBySender(candidates);
    const fullBefore = full.size;
    for (const [senderKey, group] of bySender) {
      const sender = group[0]!.sender;
      let room = wanted - claimed.length;
      if (sender) {
        const available = await capacity.available(senderKey, limitsFor(sender));
        if (available.count === 0) {
          full.add(senderKey);
          if (available.retryInMs === undefined) sendersBusy = true;
          else retryInMs = Math.min(retryInMs ?? Infinity, available.retryInMs);
          continue;
        }
        room = Math.min(room, available.count);
      }
      const won = await claimEach(group.slice(0, room), leaseMs, now);
      capacity.take(senderKey, won.length);
      claimed.push(...won);
      if (claimed.length >= limit) break;
    }
    // Another look only helps when this one skipped a sender that is now full.
    if (full.size === fullBefore) break;
  }
  return { messages: claimed.length ? await loadClaimed(claimed) : [], sendersBusy, retryInMs };
}

// Map.groupBy needs Node 21.
function groupBySender<T extends { senderId: string | null }>(rows: T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const key = row.senderId ?? NO_SENDER;
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  return groups;
}

async function claimEach(
  candidates: { id: string; status: string; leaseUntil: Date | null }[],
  leaseMs: number,
  now: Date,
): Promise<string[]> {
  const leaseUntil = new Date(now.getTime() + leaseMs);
  const won: string[] = [];
  for (const c of candidates) {
    // Conditional update: only one worker wins a given message.
    const { count } = await db.message.updateMany({
      where: { id: c.id, status: c.status, leaseUntil: c.leaseUntil },
      data: { status: "sending", leaseUntil, attempts: { increment: 1 } },
    });
    if (count === 1) won.push(c.id);
  }
  return won;
}

async function loadClaimed(ids: string[]) {
  await db.messageEvent.createMany({
    data: ids.map((messageId) => ({ messageId, type: "sending", detail: "Connecting to the mail server" })),
  });
  return db.message.findMany({ where: { id: { in: ids } }, include: { sender: true } });
}
