import "server-only";
import { db } from "@/lib/db/client";
import { deliverMessage } from "@/lib/delivery/deliver";
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

  const tick = () => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    clearTimeout(timer);
    running = runOnce()
      .catch((error) => log.error({ err: error }, "delivery worker pass failed"))
      .finally(() => {
        running = null;
        if (stopped) return;
        if (again) {
          again = false;
          setImmediate(tick);
        } else {
          timer = setTimeout(tick, pollMs);
        }
      });
  };

  async function runOnce(): Promise<void> {
    for (;;) {
      const free = concurrency - inFlight.size;
      if (free <= 0) {
        await Promise.race(inFlight);
        continue;
      }
      const batch = await claimDueMessages(free, leaseMs);
      if (batch.length === 0) break;
      for (const message of batch) {
        const job = deliverMessage(message).finally(() => inFlight.delete(job));
        inFlight.add(job);
      }
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
    },
    async drain() {
      tick();
      while (running) await running;
    },
  };
}

async function claimDueMessages(limit: number, leaseMs: number) {
  const now = new Date();
  const candidates = await db.message.findMany({
    where: {
      OR: [
        { status: "queued", nextAttemptAt: { lte: now } },
        { status: "sending", leaseUntil: { lt: now } },
      ],
    },
    orderBy: { nextAttemptAt: "asc" },
    take: limit,
    select: { id: true, status: true, leaseUntil: true },
  });
  const claimed: string[] = [];
  const leaseUntil = new Date(now.getTime() + leaseMs);
  for (const c of candidates) {
    // Conditional update: only one worker wins a given message.
    const { count } = await db.message.updateMany({
      where: { id: c.id, status: c.status, leaseUntil: c.leaseUntil },
      data: { status: "sending", leaseUntil, attempts: { increment: 1 } },
    });
    if (count === 1) claimed.push(c.id);
  }
  if (claimed.length === 0) return [];
  await db.messageEvent.createMany({
    data: claimed.map((messageId) => ({
      messageId,
      type: "sending",
      detail: "Connecting to the mail server",
    })),
  });
  return db.message.findMany({ where: { id: { in: claimed } }, include: { sender: true } });
}
