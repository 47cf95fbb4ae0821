import { spawn, type ChildProcess } from "node:child_process";
import { afterAll, beforeAll, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { workerNodeArgs } from "@/lib/delivery/worker-command";
import { onPostgres } from "@/lib/db/dialect";
import { createSender } from "@/lib/senders/senders";
import { queueBulkMessages } from "@/tests/support/bulk-queue";
import { signUpUser, type TestUser } from "@/tests/support/api";
import { startSmtpSink } from "@/tests/support/smtp-sink";

// Several delivery workers share one outbox on PostgreSQL: their claims (FOR UPDATE SKIP LOCKED) must hand
// every message to exactly one of them. SQLite is one machine's database with one writer at a time; this test
// is for the PostgreSQL run. On a small machine the workers, the database and the SMTP server share the same
// cores, so three workers need not be faster than one; the figures are printed, not asserted.
if (!onPostgres) console.log("multi-worker test skipped on SQLite: it runs in the PostgreSQL project.");

const MESSAGES = 5_000;
let sink: Awaited<ReturnType<typeof startSmtpSink>>;
let user: TestUser;
let senderId: string;
const workers: ChildProcess[] = [];

beforeAll(async () => {
  if (!onPostgres) return;
  sink = await startSmtpSink();
  user = await signUpUser("Many Workers");
  const sender = await createSender(user.id, {
    preset: "custom",
    fromEmail: "bulk@acme.test",
    host: "127.0.0.1",
    port: sink.port,
    security: "none",
    password: "unused",
    // Enough connections that one worker's claims are not the limit: the database and the workers are.
    maxConnections: 15,
  });
  senderId = sender.id;
});

afterAll(async () => {
  for (const w of workers) w.kill("SIGKILL");
  await sink?.close();
});

function startWorker(): ChildProcess {
  const child = spawn(
    process.execPath,
    // As `npm run worker` runs it: one process (node with tsx's loader), so a SIGKILL reaches the worker itself.
    [...workerNodeArgs],
    {
      env: { ...process.env, DELIVERY_POLL_MS: "100", WORKER_METRICS_PORT: "0", LOG_LEVEL: "silent" },
      stdio: "ignore",
    },
  );
  workers.push(child);
  return child;
}

const queue = (round: string) =>
  queueBulkMessages({ userId: user.id, senderId, fromEmail: "bulk@acme.test", count: MESSAGES, tag: round });

/**
 * Starts `count` workers and waits until each has looked for work (its heartbeat row), then queues a round and
 * times it until all are sent: process start-up is not part of the figure. Returns messages per second.
 */
async function drainWith(count: number, round: string): Promise<number> {
  sink.reset();
  const running = Array.from({ length: count }, startWorker);
  const ready = Date.now() + 60_000;
  while ((await db.workerHeartbeat.count()) < count) {
    if (Date.now() > ready) throw new Error(`${round}: workers did not start within 60 s`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const started = performance.now();
  await queue(round);
  const deadline = Date.now() + 120_000;
  while ((await db.message.count({ where: { searchText: round, status: "sent" } })) < MESSAGES) {
    if (Date.now() > deadline) throw new Error(`${round}: not all sent within 120 s`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const seconds = (performance.now() - started) / 1000;
  for (const w of running) w.kill("SIGTERM");
  await Promise.all(
    running.map((w) => new Promise((r) => (w.exitCode !== null ? r(null) : w.once("exit", r)))),
  );
  const stats = sink.stats();
  // Exactly once: every message reached the SMTP server, none twice.
  expect(stats.uniqueIds).toBe(MESSAGES);
  expect(stats.messages).toBe(MESSAGES);
  expect(stats.malformed).toBe(0);
  return MESSAGES / seconds;
}

it.runIf(onPostgres)(
  `three workers share ${MESSAGES} queued messages: each reaches the SMTP server exactly once`,
  async () => {
    const one = await drainWith(1, "one-worker");
    const three = await drainWith(3, "three-workers");
    console.log(
      `multi-worker: ${MESSAGES} messages — 1 worker ${one.toFixed(0)} msg/s, 3 workers ${three.toFixed(0)} msg/s ` +
        `(${(three / one).toFixed(2)}×); every message delivered exactly once in both runs`,
    );
    const attempts = await db.message.aggregate({ where: { userId: user.id }, _max: { attempts: true } });
    expect(attempts._max.attempts).toBe(1);
  },
  180_000,
);
