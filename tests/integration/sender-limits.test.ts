import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { PATCH as updateSender } from "@/app/api/senders/[id]/route";
import { POST as createSender } from "@/app/api/senders/route";
import { db } from "@/lib/db/client";
import { MESSAGES_PER_CONNECTION } from "@/lib/delivery/sender-limits";
import { startDeliveryWorker, type DeliveryWorker } from "@/lib/delivery/worker";
import { closeAllPools } from "@/lib/mail/transport";
import {
  addLoopbackSender,
  callRoute,
  enqueueTestMessage,
  signUpUser,
  type TestUser,
} from "@/tests/support/api";
import { startTestSmtpServer, type TestSmtpServer } from "@/tests/support/smtp-test-server";

let user: TestUser;
const servers: TestSmtpServer[] = [];
const workers: DeliveryWorker[] = [];

beforeAll(async () => {
  user = await signUpUser("Lim");
});

// One worker per test: per-second limits are kept per worker process, so two would share the allowance.
afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.stop()));
});

afterAll(async () => {
  closeAllPools();
  await Promise.all(servers.map((s) => s.close()));
});

async function senderWithServer(limits: Record<string, number | null>, options = {}) {
  const smtp = await startTestSmtpServer({ users: { "me@acme.test": "pw" }, ...options });
  servers.push(smtp);
  return { smtp, sender: await addLoopbackSender(user, smtp.port, limits) };
}

function worker(pollMs = 60_000) {
  const w = startDeliveryWorker({ pollMs, maxInFlight: 100 });
  workers.push(w);
  return w;
}

const queue = (senderId: string, n: number, subject = "Limits") =>
  Promise.all(
    Array.from({ length: n }, (_, i) =>
      enqueueTestMessage(user, senderId, { to: [`r${i}@example.com`], subject }),
    ),
  );

async function until(check: () => Promise<boolean>, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("condition not reached in time");
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The most of the sender's messages seen claimed ("sending") at once, sampled until `done`. */
async function peakSendingUntil(senderId: string, done: () => boolean): Promise<number> {
  let peak = 0;
  await until(async () => {
    peak = Math.max(peak, await db.message.count({ where: { senderId, status: "sending" } }));
    return done();
  });
  return peak;
}

describe("per-sender pools and limits", () => {
  it("a sender's pool holds its own number of connections, and only that many of its messages are claimed", async () => {
    const { smtp, sender } = await senderWithServer({ maxConnections: 2 }, { dataReplyDelayMs: 40 });
    await queue(sender.id, 12);
    const w = worker(20);
    const peakSending = await peakSendingUntil(sender.id, () => smtp.received.length === 12);
    await w.drain();
    expect(smtp.peakConnections()).toBeLessThanOrEqual(2);
    expect(peakSending).toBeLessThanOrEqual(2 * MESSAGES_PER_CONNECTION);
    expect(await db.message.count({ where: { senderId: sender.id, status: "sent" } })).toBe(12);
  });

  it("keeps to messages per second: a burst of one second's worth, then the rate", async () => {
    const { smtp, sender } = await senderWithServer({ maxPerSecond: 4 });
    await queue(sender.id, 12);
    worker(5_000); // the rate limit itself must wake the worker: the poll is far too slow to do it
    await until(async () => smtp.received.length === 12);
    const times = smtp.received.map((m) => m.at).sort((a, b) => a - b);
    const spanMs = times.at(-1)! - times[0]!;
    // 12 at 4/s with a burst of 4: the last 8 need at least 2 s.
    expect(spanMs).toBeGreaterThanOrEqual(1_800);
    // Any one-second window: at most the burst (4) plus what one second refills (4).
    for (const t of times) expect(times.filter((u) => u >= t && u < t + 1000).length).toBeLessThanOrEqual(8);
  });

  it("stops at the daily limit and leaves the rest queued, without holding up other senders", async () => {
    const limited = await senderWithServer({ maxPerDay: 3 });
    const free = await senderWithServer({});
    await queue(limited.sender.id, 5, "Daily");
    await queue(free.sender.id, 4, "Free");
    const w = worker();
    await w.drain();
    await until(async () => free.smtp.received.length === 4 && limited.smtp.received.length === 3);
    await w.drain();
    expect(limited.smtp.received.length).toBe(3);
    expect(await db.message.count({ where: { senderId: limited.sender.id, status: "queued" } })).toBe(2);
  });
});

describe("message bodies in flight", () => {
  it("a worker holds no more message bodies than its budget, and a message larger than the budget still goes alone", async () => {
    const { smtp, sender } = await senderWithServer({ maxConnections: 5 }, { dataReplyDelayMs: 60 });
    const html = `<p>${"x".repeat(20_000)}</p>`;
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        enqueueTestMessage(user, sender.id, { to: [`big${i}@example.com`], subject: "Big", html }),
      ),
    );
    const hugeId = await enqueueTestMessage(user, sender.id, {
      to: ["huge@example.com"],
      subject: "Huge",
      html: `<p>${"y".repeat(80_000)}</p>`,
    });
    // A budget of 50,000 characters: two and a half of the 20,000-character messages, less than the huge one.
    const w = startDeliveryWorker({ pollMs: 20, maxInFlight: 100, maxInFlightChars: 50_000 });
    workers.push(w);
    const peakSending = await peakSendingUntil(sender.id, () => smtp.received.length === 11);
    await w.drain();
    // A claim stops once the bodies it took reach the budget: at most one message past it.
    expect(peakSending).toBeGreaterThanOrEqual(1);
    expect(peakSending).toBeLessThanOrEqual(3);
    expect(await db.message.count({ where: { senderId: sender.id, status: "sent" } })).toBe(11);
    expect((await db.message.findUniqueOrThrow({ where: { id: hugeId } })).status).toBe("sent");
  });
});

describe("sender limit settings", () => {
  it("a preset brings its provider's limits; overrides replace them and null goes back", async () => {
    const res = await callRoute(createSender, {
      method: "POST",
      user,
      json: { preset: "gmail", fromEmail: "me@gmail.com", password: "app-password" },
    });
    const { sender } = await res.json();
    expect(sender.limits).toEqual({ maxConnections: 3, maxPerSecond: 2, maxPerDay: 500 });

    const raised = await callRoute(updateSender, {
      method: "PATCH",
      user,
      params: { id: sender.id },
      json: { maxPerDay: 2000 },
    });
    expect((await raised.json()).sender.limits.maxPerDay).toBe(2000);
    const back = await callRoute(updateSender, {
      method: "PATCH",
      user,
      params: { id: sender.id },
      json: { maxPerDay: null },
    });
    expect((await back.json()).sender.limits.maxPerDay).toBe(500);
  });

  it("refuses limits out of range, naming the field", async () => {
    for (const [field, value] of [
      ["maxConnections", 0],
      ["maxConnections", 21],
      ["maxPerSecond", -1],
      ["maxPerDay", 1.5],
      ["maxPerDay", "many"],
    ] as const) {
      const res = await callRoute(createSender, {
        method: "POST",
        user,
        json: { preset: "gmail", fromEmail: "me@gmail.com", password: "x", [field]: value },
      });
      expect(res.status).toBe(400);
      expect((await res.json()).error.fields[field]).toBeDefined();
    }
  });
});
