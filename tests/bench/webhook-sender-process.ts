// The delivering process of npm run bench:webhooks: it writes events into the outbox at a steady pace, as the
// delivery worker does when outcomes settle, and its webhook sender (lib/webhooks/sender.ts) sends them. Its RSS
// is measured from outside. First it sends a few warm-up events, at once, and waits for the bench's "go".
// Arguments: the user id, the number of warm-up events and their subject's prefix; BENCH_EVENTS and BENCH_RATE
// from the environment.
import { recordWebhookEvent } from "@/lib/webhooks/outbox";
import { startWebhookSender } from "@/lib/webhooks/sender";

const [userId, warmUpArg, warmUpPrefix] = process.argv.slice(2) as [string, string, string];
const total = Number(process.env.BENCH_EVENTS ?? 10_000);
const perSecond = Number(process.env.BENCH_RATE ?? 2_000);
const TICK_MS = 10;

const sender = startWebhookSender();

const event = (i: number, subject: string) =>
  recordWebhookEvent(userId, "message.failed", {
    messageId: `bench-${i}`,
    subject,
    attempts: 1,
    accepted: [],
    refused: [],
    reason: "benchmark",
  });

async function produce() {
  let queued = 0;
  const started = performance.now();
  while (queued < total) {
    // As many as the pace allows by now: a late tick catches up instead of slowing the whole run down.
    const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * perSecond) + 1);
    // A tick's events together, as outcomes settle together when the delivery worker commits a group.
    const burst: Promise<boolean>[] = [];
    for (; queued < due; queued++) burst.push(event(queued, `Bench event ${queued}`));
    await Promise.all(burst);
    await new Promise((resolve) => setTimeout(resolve, TICK_MS));
  }
  process.send?.({ queued });
}

process.once("message", () => void produce());
void Promise.all(Array.from({ length: Number(warmUpArg) }, (_, i) => event(-1 - i, `${warmUpPrefix} ${i}`)));
process.on("SIGTERM", () => void sender.stop().finally(() => process.exit(0)));
