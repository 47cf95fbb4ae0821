import { spawn, type ChildProcess } from "node:child_process";
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, expect, it, vi } from "vitest";

vi.hoisted(() => {
  // createWebhook below checks the receiver's URL with the same rule as the worker.
  process.env.WEBHOOK_ALLOW_LOOPBACK = "true";
});

import { POST as createSender } from "@/app/api/senders/route";
import { db } from "@/lib/db/client";
import { workerNodeArgs } from "@/lib/delivery/worker-command";
import { createWebhook } from "@/lib/webhooks/endpoints";
import { callRoute, signUpUser } from "@/tests/support/api";
import { queueBulkMessages } from "@/tests/support/bulk-queue";
import { startWebhookReceiver, type WebhookReceiver } from "@/tests/support/webhook-receiver";

// Webhook events are at least once across a crash: a worker killed with SIGKILL after it stored outcomes and
// before it delivered their events leaves, for every outcome it committed, its event in the database (the
// outbox, or a queued delivery), and the next worker delivers each one. While the first worker runs, the
// receiver answers nothing, so no event reaches it before the kill.

const TOTAL = 600;
let smtp: SMTPServer;
let smtpPort: number;
let receiver: WebhookReceiver;

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    allowInsecureAuth: true,
    onAuth: (_a, _s, cb) => cb(null, { user: "worker" }),
    disableReverseLookup: true,
    logger: false,
    onData(stream, _session, cb) {
      stream.resume();
      stream.on("end", () => cb());
    },
  });
  smtp.on("error", () => undefined);
  await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
  smtpPort = (smtp.server.address() as AddressInfo).port;
  receiver = await startWebhookReceiver();
});

afterAll(async () => {
  await receiver.close();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
});

function startWorker(env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, [...workerNodeArgs], {
    env: {
      ...process.env,
      DELIVERY_LEASE_MS: "3000",
      DELIVERY_POLL_MS: "100",
      WEBHOOK_POLL_MS: "100",
      WEBHOOK_LEASE_MS: "2000",
      WEBHOOK_ALLOW_LOOPBACK: "true",
      WORKER_METRICS_PORT: "0",
      LOG_LEVEL: "silent",
      ...env,
    },
    stdio: "ignore",
  });
}

async function until(condition: () => Promise<boolean> | boolean, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The message ids that "message.sent" events stored in the database are about (outbox and queue). */
async function storedSentEvents(): Promise<Set<string>> {
  const [outbox, queued] = await Promise.all([
    db.webhookEvent.findMany({ where: { type: "message.sent" }, select: { payload: true } }),
    db.webhookDelivery.findMany({ where: { type: "message.sent" }, select: { payload: true } }),
  ]);
  return new Set(
    [...outbox, ...queued].map(
      (r) => (JSON.parse(r.payload) as { data: { messageId: string } }).data.messageId,
    ),
  );
}

it("a worker killed between storing outcomes and delivering their events loses none of them", async () => {
  const user = await signUpUser("Crash hooks");
  const created = await callRoute(createSender, {
    method: "POST",
    user,
    json: {
      preset: "custom",
      fromEmail: "hooks@acme.test",
      host: "127.0.0.1",
      port: smtpPort,
      security: "none",
      password: "pw",
    },
  });
  const senderId = (await created.json()).sender.id as string;
  const { secret } = await createWebhook(user.id, {
    url: receiver.url,
    kind: "standard",
    events: ["message.sent"],
    description: null,
  });
  await queueBulkMessages({
    userId: user.id,
    senderId,
    fromEmail: "hooks@acme.test",
    count: TOTAL,
    tag: "hook",
  });
  const sentCount = () => db.message.count({ where: { userId: user.id, status: "sent" } });

  // First worker: the receiver takes each request and never answers (the worker waits up to 60 s for it).
  receiver.reply = () => ({ status: 204, hang: true });
  const first = startWorker({ WEBHOOK_TIMEOUT_MS: "60000" });
  await until(async () => (await sentCount()) >= TOTAL / 3, 60_000);
  first.kill("SIGKILL");
  await new Promise((r) => first.once("exit", r));

  // What the dead worker committed: every message it stored as sent has its event stored too.
  const sentAtKill = await db.message.findMany({
    where: { userId: user.id, status: "sent" },
    select: { id: true },
  });
  expect(sentAtKill.length).toBeGreaterThan(0);
  expect(sentAtKill.length).toBeLessThan(TOTAL);
  const stored = await storedSentEvents();
  expect(sentAtKill.filter((m) => !stored.has(m.id))).toEqual([]);
  // No event arrived before the kill: whatever the receiver had was never answered.
  const answeredBeforeKill = receiver.received.length;
  expect(answeredBeforeKill).toBeLessThanOrEqual(1);

  receiver.reply = () => ({ status: 204 });
  const second = startWorker({});
  const delivered = new Map<string, number>();
  const verifier = new Webhook(secret!);
  const tally = () => {
    delivered.clear();
    for (const r of receiver.received.slice(answeredBeforeKill)) {
      const event = verifier.verify(r.body, r.headers as Record<string, string>) as {
        data: { messageId: string };
      };
      delivered.set(event.data.messageId, (delivered.get(event.data.messageId) ?? 0) + 1);
    }
    return delivered.size;
  };
  try {
    await until(async () => (await sentCount()) === TOTAL && tally() === TOTAL, 90_000);
  } finally {
    second.kill("SIGTERM");
    await new Promise((r) => second.once("exit", r));
  }
  // Every message sent before the kill had its event delivered afterwards, and every other one too.
  expect(sentAtKill.filter((m) => !delivered.has(m.id))).toEqual([]);
  const all = await db.message.findMany({ where: { userId: user.id }, select: { id: true, status: true } });
  expect(all.every((m) => m.status === "sent" && delivered.has(m.id))).toBe(true);
  // The outbox is empty once the events are queued, and the queue holds nothing undelivered.
  expect(await db.webhookEvent.count({ where: { userId: user.id } })).toBe(0);
  expect(
    await db.webhookDelivery.count({
      where: { endpoint: { userId: user.id }, status: { not: "delivered" } },
    }),
  ).toBe(0);
}, 180_000);
