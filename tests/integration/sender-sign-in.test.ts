import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PATCH as updateSender } from "@/app/api/senders/[id]/route";
import { POST as testConnection } from "@/app/api/senders/[id]/test/route";
import { GET as listSenders } from "@/app/api/senders/route";
import { db } from "@/lib/db/client";
import { deliverOrFail } from "@/lib/delivery/fail-safe";
import { onDeliveryOutcome, type DeliveryOutcome } from "@/lib/delivery/outcomes";
import { startDeliveryWorker, type DeliveryWorker } from "@/lib/delivery/worker";
import { closeAllPools } from "@/lib/mail/transport";
import { buildPushPayload } from "@/lib/push/payload";
import type { SenderView } from "@/lib/senders/senders";
import {
  addLoopbackSender,
  callRoute,
  enqueueTestMessage,
  signUpUser,
  type TestUser,
} from "@/tests/support/api";
import { startTestSmtpServer, type TestSmtpServer } from "@/tests/support/smtp-test-server";

// A refused sign-in is not retried message after message (the way to get an account locked or an address
// banned): the sender is marked, its messages wait in the queue without using their attempts, the user is
// told, and everything goes once the password is fixed or a connection test signs in.
let user: TestUser;
let smtp: TestSmtpServer;
let worker: DeliveryWorker;
const outcomes: DeliveryOutcome[] = [];
let stopListening: () => void;

beforeAll(async () => {
  user = await signUpUser("Sign In");
  smtp = await startTestSmtpServer({ users: { "me@acme.test": "right" } });
  worker = startDeliveryWorker({ pollMs: 60_000, maxInFlight: 20 });
  stopListening = onDeliveryOutcome((o) => void outcomes.push(o));
});

afterAll(async () => {
  stopListening();
  await worker.stop();
  closeAllPools();
  await smtp.close();
});

async function senderView(id: string): Promise<SenderView> {
  const res = await callRoute(listSenders, { user });
  const { senders } = (await res.json()) as { senders: SenderView[] };
  return senders.find((s) => s.id === id)!;
}

const queue = (senderId: string, tag: string) =>
  Promise.all(
    [0, 1, 2].map((i) =>
      enqueueTestMessage(user, senderId, { to: [`${tag}${i}@example.com`], subject: tag }),
    ),
  );

describe("a sender whose sign-in is refused", () => {
  it("signs in once, marks the sender, keeps its messages queued with their attempts, and tells the user once", async () => {
    // One connection: exactly one sign-in is the most this sender may try.
    const sender = await addLoopbackSender(user, smtp.port, { password: "wrong", maxConnections: 1 });
    const ids = await queue(sender.id, "wrongpw");
    await worker.drain();
    // Again and again: nothing claims the sender's messages, so nothing signs in.
    await worker.drain();
    await worker.drain();

    expect(smtp.logins()).toEqual({ tried: 1, refused: 1 });
    expect(smtp.received).toEqual([]);
    const messages = await db.message.findMany({ where: { id: { in: ids } } });
    for (const m of messages) {
      expect(m).toMatchObject({ status: "queued", attempts: 0, leaseUntil: null });
      expect(m.lastError).toMatch(/rejected the username or password.*fix(ed)? .*in Settings/s);
    }
    const view = await senderView(sender.id);
    expect(view.signInFailed?.reason).toMatch(/rejected the username or password/);

    const told = outcomes.filter((o) => o.kind === "sign-in-failed");
    expect(told).toHaveLength(1);
    expect(buildPushPayload(told[0]!).title).toBe(
      `Sign-in to ${view.label} failed — fix the password in Settings`,
    );
  });

  it("a message claimed just before the refusal was stored is held on its way, without another sign-in", async () => {
    const sender = await addLoopbackSender(user, smtp.port, { password: "wrong", maxConnections: 1 });
    const before = await db.sender.findUniqueOrThrow({ where: { id: sender.id } });
    const [first, late] = await Promise.all(
      [0, 1].map((i) =>
        enqueueTestMessage(user, sender.id, { to: [`late${i}@example.com`], subject: "Late" }),
      ),
    );
    await db.message.update({
      where: { id: late! },
      data: { nextAttemptAt: new Date(Date.now() + 3_600_000) },
    });
    await worker.drain();
    expect((await db.message.findUniqueOrThrow({ where: { id: first! } })).status).toBe("queued");
    const logins = smtp.logins().tried;

    // Claimed by a pass that read the sender before its refusal was stored: as the worker would hand it over.
    const row = await db.message.update({
      where: { id: late! },
      data: { status: "sending", attempts: { increment: 1 }, leaseUntil: new Date(Date.now() + 60_000) },
    });
    const delivered = await deliverOrFail({
      ...row,
      to: row.to as { address: string }[],
      cc: row.cc as { address: string }[],
      bcc: row.bcc as { address: string }[],
      recipientOutcomes: null, // a first attempt: every recipient is still pending
      sender: before,
    });

    expect(delivered).toBe(false);
    expect(smtp.logins().tried).toBe(logins);
    expect(await db.message.findUniqueOrThrow({ where: { id: late! } })).toMatchObject({
      status: "queued",
      attempts: 0,
    });
  });

  it("a new password clears the mark and the waiting messages are sent", async () => {
    const sender = await addLoopbackSender(user, smtp.port, { password: "wrong", maxConnections: 1 });
    const ids = await queue(sender.id, "fixed");
    await worker.drain();
    expect((await senderView(sender.id)).signInFailed).not.toBeNull();

    const res = await callRoute(updateSender, {
      method: "PATCH",
      user,
      params: { id: sender.id },
      json: { password: "right" },
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { sender: SenderView }).sender.signInFailed).toBeNull();
    await worker.drain();
    const messages = await db.message.findMany({ where: { id: { in: ids } } });
    expect(messages.map((m) => m.status)).toEqual(["sent", "sent", "sent"]);
    expect(smtp.received.filter((r) => r.envelopeTo[0]!.startsWith("fixed")).length).toBe(3);
  });

  it("a connection test that signs in clears the mark too", async () => {
    const sender = await addLoopbackSender(user, smtp.port, { password: "right" });
    // Refused earlier (the server's account was fixed since): its messages wait.
    await db.sender.update({
      where: { id: sender.id },
      data: { authFailedAt: new Date(), authFailedReason: "refused" },
    });
    const ids = await queue(sender.id, "tested");
    await worker.drain();
    expect(await db.message.count({ where: { id: { in: ids }, status: "queued" } })).toBe(3);

    const res = await callRoute(testConnection, { method: "POST", user, params: { id: sender.id } });
    expect(((await res.json()) as { result: { ok: boolean } }).result.ok).toBe(true);
    expect((await senderView(sender.id)).signInFailed).toBeNull();
    await worker.drain();
    expect(await db.message.count({ where: { id: { in: ids }, status: "sent" } })).toBe(3);
  });
});
