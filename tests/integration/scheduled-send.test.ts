import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PATCH as updateAccount } from "@/app/api/account/route";
import { POST as cancel } from "@/app/api/messages/[id]/cancel/route";
import { GET as getMessage } from "@/app/api/messages/[id]/route";
import { POST as sendNow } from "@/app/api/messages/[id]/send-now/route";
import { POST as send } from "@/app/api/messages/route";
import { db } from "@/lib/db/client";
import { startDeliveryWorker, type DeliveryWorker } from "@/lib/delivery/worker";
import { closeAllPools } from "@/lib/mail/transport";
import { addLoopbackSender, callRoute, signUpUser, type TestUser } from "@/tests/support/api";
import { startTestSmtpServer, type TestSmtpServer } from "@/tests/support/smtp-test-server";

let smtp: TestSmtpServer;
let worker: DeliveryWorker;
let user: TestUser;
let senderId: string;

beforeAll(async () => {
  smtp = await startTestSmtpServer({ users: { "me@acme.test": "pw" } });
  worker = startDeliveryWorker({ pollMs: 60_000, maxInFlight: 5 });
  user = await signUpUser("Sam");
  senderId = (await addLoopbackSender(user, smtp.port)).id;
});

afterAll(async () => {
  await worker.stop();
  closeAllPools();
  await smtp.close();
});

async function setUndoWindow(seconds: number) {
  const res = await callRoute(updateAccount, { method: "PATCH", user, json: { undoSendSeconds: seconds } });
  expect(res.status).toBe(200);
}

async function post(extra: Record<string, unknown> = {}, as: TestUser = user) {
  const subject = `Subject ${randomUUID().slice(0, 8)}`;
  const res = await callRoute(send, {
    method: "POST",
    user: as,
    json: {
      idempotencyKey: randomUUID(),
      senderId,
      to: [{ address: "amy@example.com" }],
      subject,
      html: "<p>x</p>",
      ...extra,
    },
  });
  return { res, subject, body: await res.json() };
}

const control = (handler: typeof cancel, id: string, as: TestUser | null = user) =>
  callRoute(handler, { method: "POST", user: as, params: { id } });

const receivedWith = (subject: string) => smtp.received.filter((m) => m.parsed.subject === subject).length;

describe("undo send", () => {
  it("holds a message for the user's undo window; Undo cancels it and nothing is sent", async () => {
    await setUndoWindow(5);
    const { res, subject, body } = await post();
    expect(res.status).toBe(202);
    const hold = Date.parse(body.message.holdUntil) - Date.parse(body.message.createdAt);
    expect(hold).toBeGreaterThanOrEqual(4_900);
    expect(hold).toBeLessThanOrEqual(5_100);

    await worker.drain();
    expect((await db.message.findUniqueOrThrow({ where: { id: body.message.id } })).status).toBe("queued");

    const undone = await control(cancel, body.message.id);
    expect(undone.status).toBe(200);
    expect((await undone.json()).message.status).toBe("cancelled");
    // Undo twice is harmless.
    expect((await control(cancel, body.message.id)).status).toBe(200);

    await db.message.update({ where: { id: body.message.id }, data: { nextAttemptAt: new Date(0) } });
    await worker.drain();
    expect(receivedWith(subject)).toBe(0);
    const detail = await (await callRoute(getMessage, { user, params: { id: body.message.id } })).json();
    expect(detail.message.events.map((e: { type: string }) => e.type)).toEqual(["queued", "cancelled"]);
  });

  it("a message that has already gone cannot be cancelled: 409 with the reason", async () => {
    await setUndoWindow(0);
    const { body, subject } = await post();
    await worker.drain();
    expect(receivedWith(subject)).toBe(1);
    const late = await control(cancel, body.message.id);
    expect(late.status).toBe(409);
    expect((await late.json()).error.message).toMatch(/already been sent/);
  });

  it("Undo racing the worker: each message is either cancelled and never sent, or sent and refused with 409", async () => {
    await setUndoWindow(0);
    const posted = await Promise.all(Array.from({ length: 40 }, () => post()));
    const [, outcomes] = await Promise.all([
      worker.drain(),
      Promise.all(posted.map((p) => control(cancel, p.body.message.id).then((r) => r.status))),
    ]);
    await worker.drain();
    for (const [i, p] of posted.entries()) {
      const stored = await db.message.findUniqueOrThrow({ where: { id: p.body.message.id } });
      if (outcomes[i] === 200) {
        expect(stored.status).toBe("cancelled");
        expect(receivedWith(p.subject)).toBe(0);
      } else {
        expect(outcomes[i]).toBe(409);
        expect(stored.status).toBe("sent");
        expect(receivedWith(p.subject)).toBe(1);
      }
    }
  });

  it("only the owner can cancel: 401 signed out, 404 for another user", async () => {
    await setUndoWindow(30);
    const { body } = await post();
    expect((await control(cancel, body.message.id, null)).status).toBe(401);
    expect((await control(cancel, body.message.id, await signUpUser("Other"))).status).toBe(404);
    expect((await control(sendNow, body.message.id, await signUpUser("Other"))).status).toBe(404);
    expect((await control(cancel, "no-such-message")).status).toBe(404);
    expect((await control(cancel, body.message.id)).status).toBe(200);
  });

  it("rejects an undo window outside 0–60 s or of the wrong type, naming the field", async () => {
    for (const undoSendSeconds of [-1, 61, 2.5, "10"]) {
      const res = await callRoute(updateAccount, { method: "PATCH", user, json: { undoSendSeconds } });
      expect(res.status).toBe(400);
      expect((await res.json()).error.fields.undoSendSeconds).toBeDefined();
    }
    const unknown = await callRoute(updateAccount, { method: "PATCH", user, json: { isAdmin: true } });
    expect(unknown.status).toBe(400);
  });
});

describe("scheduled send", () => {
  it("holds a message until its time; Send now sends it at once", async () => {
    await setUndoWindow(0);
    const sendAt = new Date(Date.now() + 3 * 86_400_000).toISOString();
    const { res, body, subject } = await post({ sendAt });
    expect(res.status).toBe(202);
    expect(body.message.sendAt).toBe(sendAt);
    expect(body.message.holdUntil).toBe(sendAt);
    await worker.drain();
    expect(receivedWith(subject)).toBe(0);

    const now = await control(sendNow, body.message.id);
    expect(now.status).toBe(200);
    await worker.drain();
    expect(receivedWith(subject)).toBe(1);
    expect((await control(sendNow, body.message.id)).status).toBe(409);
  });

  it("goes out on its own once its time comes", async () => {
    await setUndoWindow(0);
    const { body, subject } = await post({ sendAt: new Date(Date.now() + 1500).toISOString() });
    await worker.drain();
    expect(receivedWith(subject)).toBe(0);
    await new Promise((r) => setTimeout(r, 1600));
    await worker.drain();
    expect(receivedWith(subject)).toBe(1);
    expect((await db.message.findUniqueOrThrow({ where: { id: body.message.id } })).status).toBe("sent");
  });

  it("a time already past (an offline message replayed late) sends now", async () => {
    await setUndoWindow(0);
    const { res, subject, body } = await post({ sendAt: new Date(Date.now() - 3_600_000).toISOString() });
    expect(res.status).toBe(202);
    expect(body.message.sendAt).toBeNull();
    await worker.drain();
    expect(receivedWith(subject)).toBe(1);
  });

  it("refuses a time more than a year ahead or not a date, naming sendAt", async () => {
    for (const sendAt of [new Date(Date.now() + 400 * 86_400_000).toISOString(), "tomorrow", 12345]) {
      const { res, body } = await post({ sendAt });
      expect(res.status).toBe(400);
      expect(body.error.fields.sendAt).toBeDefined();
    }
  });

  it("the same key with another time is a different message: 409", async () => {
    const key = randomUUID();
    const base = {
      idempotencyKey: key,
      senderId,
      to: [{ address: "amy@example.com" }],
      subject: "s",
      html: "",
    };
    const at = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();
    const first = await callRoute(send, { method: "POST", user, json: { ...base, sendAt: at(1) } });
    expect(first.status).toBe(202);
    const again = await callRoute(send, {
      method: "POST",
      user,
      json: { ...base, sendAt: (await first.json()).message.sendAt },
    });
    expect(again.status).toBe(200);
    const other = await callRoute(send, { method: "POST", user, json: { ...base, sendAt: at(2) } });
    expect(other.status).toBe(409);
  });
});
