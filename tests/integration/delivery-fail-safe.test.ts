import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { db } from "@/lib/db/client";
import { newTimeOrderedId } from "@/lib/db/ids";
import { QUARANTINE_REASON } from "@/lib/delivery/quarantine";
import { startDeliveryWorker, type DeliveryWorker } from "@/lib/delivery/worker";
import { closeAllPools } from "@/lib/mail/transport";
import { addLoopbackSender, enqueueTestMessage, signUpUser, type TestUser } from "@/tests/support/api";
import { queueBulkMessages } from "@/tests/support/bulk-queue";
import { startTestSmtpServer, type TestSmtpServer } from "@/tests/support/smtp-test-server";

// The sending code itself breaking on one message — here made to, for any message whose subject says so —
// must end that message with a reason, and nothing else.
vi.mock("@/lib/delivery/deliver", async (importOriginal) => {
  const original = await importOriginal<typeof import("@/lib/delivery/deliver")>();
  return {
    ...original,
    deliverMessage: (message: Parameters<typeof original.deliverMessage>[0]) =>
      message.subject === "Breaks the code"
        ? Promise.reject(new RangeError("Maximum call stack size exceeded"))
        : original.deliverMessage(message),
  };
});

let user: TestUser;
let smtp: TestSmtpServer;
let worker: DeliveryWorker;
let senderId: string;

beforeAll(async () => {
  user = await signUpUser("Fail Safe");
  smtp = await startTestSmtpServer({ users: { "me@acme.test": "pw" } });
  senderId = (await addLoopbackSender(user, smtp.port)).id;
  worker = startDeliveryWorker({ pollMs: 60_000, maxInFlight: 10, leaseMs: 60_000 });
});

afterAll(async () => {
  await worker.stop();
  closeAllPools();
  await smtp.close();
});

describe("a message that breaks the sending code", () => {
  it("ends failed with the reason; the worker goes on with the others", async () => {
    const bad = await enqueueTestMessage(user, senderId, {
      to: ["bad@example.com"],
      subject: "Breaks the code",
    });
    const good = await enqueueTestMessage(user, senderId, { to: ["good@example.com"], subject: "Fine" });
    await worker.drain();
    const badNow = await db.message.findUniqueOrThrow({ where: { id: bad }, include: { events: true } });
    expect(badNow.status).toBe("failed");
    expect(badNow.lastError).toMatch(/could not be prepared for sending: its content is nested too deeply/);
    expect(badNow.events.filter((e) => e.type === "failed").map((e) => e.detail)).toEqual([badNow.lastError]);
    expect((await db.message.findUniqueOrThrow({ where: { id: good } })).status).toBe("sent");
    // Still claiming: a message enqueued afterwards goes too.
    const later = await enqueueTestMessage(user, senderId, { to: ["later@example.com"], subject: "Later" });
    await worker.drain();
    expect((await db.message.findUniqueOrThrow({ where: { id: later } })).status).toBe("sent");
  });
});

describe("a message that interrupted its worker again and again", () => {
  /** A message left "sending" by a worker that died, whose lease ran out `times` times before. */
  async function interruptedMessage(tag: string, times: number): Promise<string> {
    await queueBulkMessages({ userId: user.id, senderId, fromEmail: "me@acme.test", count: 1, tag });
    const { id } = await db.message.findFirstOrThrow({ where: { userId: user.id, subject: `${tag} 0` } });
    await db.message.update({
      where: { id },
      data: { status: "sending", attempts: times + 1, leaseUntil: new Date(Date.now() - 1000) },
    });
    for (let i = 1; i <= times; i++) {
      await db.messageEvent.create({
        data: { id: newTimeOrderedId(), messageId: id, type: "interrupted", detail: `Attempt ${i} stopped` },
      });
    }
    return id;
  }

  it("is stopped, failed with the reason, at its third interruption instead of being taken again", async () => {
    const repeat = await interruptedMessage("repeat", 2);
    const once = await interruptedMessage("once", 1);
    const receivedBefore = smtp.received.length;
    await worker.drain();

    const stopped = await db.message.findUniqueOrThrow({ where: { id: repeat }, include: { events: true } });
    expect(stopped).toMatchObject({ status: "failed", lastError: QUARANTINE_REASON, leaseUntil: null });
    expect(QUARANTINE_REASON).toBe("Stopped after it interrupted the worker 3 times.");
    expect(stopped.events.filter((e) => e.type === "failed").map((e) => e.detail)).toEqual([
      QUARANTINE_REASON,
    ]);
    // Interrupted once before: taken again, and sent.
    expect((await db.message.findUniqueOrThrow({ where: { id: once } })).status).toBe("sent");
    expect(smtp.received.slice(receivedBefore).map((m) => m.envelopeTo)).toEqual([["r0@example.com"]]);
  });
});
