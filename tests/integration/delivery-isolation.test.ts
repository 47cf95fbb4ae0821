import { afterAll, beforeAll, expect, it, vi } from "vitest";

// A stalled server must not time out during the test: the stall, not a timeout, is what is under test.
vi.hoisted(() => {
  process.env.SMTP_TIMEOUT_MS = "120000";
});

import { db } from "@/lib/db/client";
import { startDeliveryWorker, type DeliveryWorker } from "@/lib/delivery/worker";
import { closeAllPools } from "@/lib/mail/transport";
import { addLoopbackSender, enqueueTestMessage, signUpUser, type TestUser } from "@/tests/support/api";
import { startScriptedSmtp } from "@/tests/support/scripted-smtp";
import { startTestSmtpServer, type TestSmtpServer } from "@/tests/support/smtp-test-server";

// One sender's server that takes its time must never hold up another sender's mail: the worker claims and
// sends other senders' messages while the slow one is in flight, and the slow sender keeps only its share of
// the worker's room, however long its queue.
const STALL_MS = 40_000;
let user: TestUser;
let worker: DeliveryWorker;
let stalled: Awaited<ReturnType<typeof startScriptedSmtp>>;
let healthy: TestSmtpServer;

beforeAll(async () => {
  user = await signUpUser("Isolation");
  stalled = await startScriptedSmtp({ slowFinalReplyMs: STALL_MS });
  healthy = await startTestSmtpServer({ users: { "me@acme.test": "pw" } });
  // Few slots, and a poll far slower than the test: only the worker's own claiming can deliver in time.
  worker = startDeliveryWorker({ pollMs: 60_000, maxInFlight: 4 });
});

afterAll(async () => {
  // The stalled connections are dropped first, so the worker's messages in flight settle and it can stop.
  await stalled.close();
  await worker.stop();
  closeAllPools();
  await healthy.close();
});

async function until(check: () => Promise<boolean> | boolean, what: string) {
  // Well inside the stall: whatever passes here passed while the slow server still held its reply.
  const deadline = Date.now() + STALL_MS / 2;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not reached while the slow server stalled: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

it(
  "another sender's messages are sent while a stalled sender's are in flight, even when its queue is longer than the worker's slots",
  { timeout: STALL_MS },
  async () => {
    const slow = await addLoopbackSender(user, stalled.port);
    const fast = await addLoopbackSender(user, healthy.port);
    const slowIds: string[] = [];
    // More of the slow sender's messages than the worker has slots.
    for (let i = 0; i < 8; i++)
      slowIds.push(
        await enqueueTestMessage(user, slow.id, { to: [`slow${i}@example.com`], subject: "Slow" }),
      );
    await until(() => stalled.accepted() >= 1, "the slow server got a message");

    const fastIds: string[] = [];
    for (let i = 0; i < 3; i++)
      fastIds.push(
        await enqueueTestMessage(user, fast.id, { to: [`fast${i}@example.com`], subject: "Fast" }),
      );
    await until(
      async () => (await db.message.count({ where: { id: { in: fastIds }, status: "sent" } })) === 3,
      "the other sender's messages were sent",
    );

    expect(healthy.received.map((m) => m.envelopeTo[0]).sort()).toEqual([
      "fast0@example.com",
      "fast1@example.com",
      "fast2@example.com",
    ]);
    // The slow sender's messages are still waiting for their server: none was sent, none given up on.
    const slowNow = await db.message.findMany({ where: { id: { in: slowIds } }, select: { status: true } });
    expect(slowNow.filter((m) => m.status === "sending").length).toBeGreaterThanOrEqual(1);
    expect(slowNow.filter((m) => m.status === "sent" || m.status === "failed")).toEqual([]);
    // It held no more than its share of the worker: half of the four slots.
    expect(await db.message.count({ where: { id: { in: slowIds }, status: "sending" } })).toBeLessThanOrEqual(
      2,
    );
  },
);
