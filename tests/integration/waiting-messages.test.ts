import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as cancel } from "@/app/api/messages/[id]/cancel/route";
import { GET as getMessage } from "@/app/api/messages/[id]/route";
import { POST as sendNow } from "@/app/api/messages/[id]/send-now/route";
import { GET as listMessages, POST as send } from "@/app/api/messages/route";
import { db } from "@/lib/db/client";
import { startDeliveryWorker, type DeliveryWorker } from "@/lib/delivery/worker";
import { closeAllPools } from "@/lib/mail/transport";
import { addLoopbackSender, callRoute, signUpUser, type TestUser } from "@/tests/support/api";
import { startTestSmtpServer, type TestSmtpServer } from "@/tests/support/smtp-test-server";

// What the Sent list and a message's page need to show a message that waits on a failing sender (the warning
// with Retry now and Cancel) and one that went to the built-in test mailbox (labelled as such).

let smtp: TestSmtpServer;
let worker: DeliveryWorker;
let user: TestUser;
let smtpSender: string;
let sandboxSender: string;

beforeAll(async () => {
  smtp = await startTestSmtpServer({ users: { "me@acme.test": "pw" } });
  worker = startDeliveryWorker({ pollMs: 60_000, maxInFlight: 5 });
  user = await signUpUser("Wren");
  smtpSender = (await addLoopbackSender(user, smtp.port)).id;
  sandboxSender = (await db.sender.findFirstOrThrow({ where: { userId: user.id, kind: "sandbox" } })).id;
});

afterAll(async () => {
  await worker.stop();
  closeAllPools();
  await smtp.close();
});

async function post(senderId: string, sendAt?: string) {
  const res = await callRoute(send, {
    method: "POST",
    user,
    json: {
      idempotencyKey: randomUUID(),
      senderId,
      to: [{ address: "amy@example.com" }],
      subject: `Subject ${randomUUID().slice(0, 8)}`,
      html: "<p>x</p>",
      ...(sendAt ? { sendAt } : {}),
    },
  });
  expect(res.status).toBe(202);
  return (await res.json()) as { message: { id: string; viaSandbox: boolean } };
}

const read = async (id: string, as: TestUser = user) =>
  callRoute(getMessage, { method: "GET", user: as, params: { id } });

describe("a message waiting on a failing sender", () => {
  it("carries the reason and its next try; Retry now sends it at once", async () => {
    const nextWeek = new Date(Date.now() + 7 * 86_400_000).toISOString();
    const { message } = await post(smtpSender, nextWeek);
    // As lib/delivery marks a queued message whose sender's sign-in was refused.
    const nextTry = new Date(Date.now() + 3_600_000);
    await db.message.update({
      where: { id: message.id },
      data: {
        sendAt: null,
        lastError: "Sign-in refused: 535 bad password",
        nextAttemptAt: nextTry,
        attempts: 1,
      },
    });

    const waiting = (await (await read(message.id)).json()).message;
    expect(waiting).toMatchObject({
      status: "queued",
      lastError: "Sign-in refused: 535 bad password",
      nextAttemptAt: nextTry.toISOString(),
      viaSandbox: false,
    });

    expect((await callRoute(sendNow, { method: "POST", user, params: { id: message.id } })).status).toBe(200);
    await expect
      .poll(async () => (await db.message.findUniqueOrThrow({ where: { id: message.id } })).status, {
        timeout: 10_000,
      })
      .toBe("sent");
  });

  it("Cancel stops it for good; another user can neither see, retry nor cancel it", async () => {
    const { message } = await post(smtpSender, new Date(Date.now() + 86_400_000).toISOString());
    await db.message.update({ where: { id: message.id }, data: { lastError: "Sign-in refused" } });
    const other = await signUpUser("Other");
    expect((await read(message.id, other)).status).toBe(404);
    expect(
      (await callRoute(sendNow, { method: "POST", user: other, params: { id: message.id } })).status,
    ).toBe(404);
    expect(
      (await callRoute(cancel, { method: "POST", user: other, params: { id: message.id } })).status,
    ).toBe(404);

    const res = await callRoute(cancel, { method: "POST", user, params: { id: message.id } });
    expect(res.status).toBe(200);
    expect((await res.json()).message).toMatchObject({ status: "cancelled", nextAttemptAt: null });
  });
});

describe("the built-in test mailbox", () => {
  it("marks messages sent through it, on enqueue, in the list and on the message's page", async () => {
    const viaSandbox = await post(sandboxSender);
    const viaSmtp = await post(smtpSender);
    expect(viaSandbox.message.viaSandbox).toBe(true);
    expect(viaSmtp.message.viaSandbox).toBe(false);

    const list = await callRoute(listMessages, { method: "GET", user, path: "/api/messages" });
    const items = (await list.json()).items as { id: string; viaSandbox: boolean }[];
    expect(items.find((m) => m.id === viaSandbox.message.id)?.viaSandbox).toBe(true);
    expect(items.find((m) => m.id === viaSmtp.message.id)?.viaSandbox).toBe(false);
    expect((await (await read(viaSandbox.message.id)).json()).message.viaSandbox).toBe(true);
  });
});
