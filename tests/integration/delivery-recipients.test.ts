import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as getMessage } from "@/app/api/messages/[id]/route";
import { GET as listMessages } from "@/app/api/messages/route";
import { db } from "@/lib/db/client";
import { recordSendError } from "@/lib/delivery/attempt-outcome";
import { fromRaw, type RawClaimedRow } from "@/lib/delivery/claimed-message";
import { onDeliveryOutcome, type DeliveryOutcome } from "@/lib/delivery/outcomes";
import { startDeliveryWorker, type DeliveryWorker } from "@/lib/delivery/worker";
import { env } from "@/lib/env";
import { closeAllPools } from "@/lib/mail/transport";
import type { MessageDetail, MessageSummary } from "@/lib/messages/message-view";
import { metrics } from "@/lib/observability/metrics";
import { buildPushPayload } from "@/lib/push/payload";
import {
  addLoopbackSender,
  callRoute,
  enqueueTestMessage,
  signUpUser,
  type TestUser,
} from "@/tests/support/api";

// Each recipient of a message has its own outcome: accepted, deferred (4xx: tried again, alone), refused (5xx,
// with the server's reply) or unknown (no final reply). These run real SMTP conversations with a server that
// answers each RCPT as the test scripts, and count at the server what each recipient got.
let user: TestUser;
let worker: DeliveryWorker;
const announced: DeliveryOutcome[] = [];
let stopListening: () => void;

beforeAll(async () => {
  user = await signUpUser();
  worker = startDeliveryWorker({ pollMs: 60_000, maxInFlight: 3 });
  stopListening = onDeliveryOutcome((o) => void announced.push(o));
});

afterAll(async () => {
  stopListening();
  await worker.stop();
  closeAllPools();
});

type Rcpt = (address: string) => { code: number; text: string } | null;

/** An SMTP server whose RCPT replies come from `rcpt` (null accepts); counts the copies each address got. */
async function scriptedServer(rcpt: Rcpt) {
  const copies = new Map<string, number>();
  const messageIds: string[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    allowInsecureAuth: true,
    onAuth: (_auth, _session, cb) => cb(null, { user: "me" }),
    logger: false,
    disableReverseLookup: true,
    onRcptTo(address, _session, cb) {
      const reply = rcpt(address.address);
      if (!reply) return cb();
      cb(Object.assign(new Error(reply.text), { responseCode: reply.code }));
    },
    onData(stream, session, cb) {
      let raw = "";
      stream.on("data", (chunk: Buffer) => (raw += chunk.toString()));
      stream.on("end", () => {
        for (const r of session.envelope.rcptTo) copies.set(r.address, (copies.get(r.address) ?? 0) + 1);
        messageIds.push(/^Message-ID: (.+)$/im.exec(raw)?.[1]?.trim() ?? "");
        cb(null, "2.0.0 Ok: queued");
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.server.address() as AddressInfo).port,
    copies: (address: string) => copies.get(address) ?? 0,
    messageIds,
    // Pooled connections would keep the server waiting on close: drop them first.
    close: () => {
      closeAllPools();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function sendThrough(port: number, to: string[]): Promise<string> {
  const sender = await addLoopbackSender(user, port);
  return enqueueTestMessage(user, sender.id, { to, subject: "Per-recipient test" });
}

/** Makes the message due now, whatever its backoff said, and runs a delivery pass. */
async function deliver(id: string) {
  await db.message.update({ where: { id }, data: { nextAttemptAt: new Date() } });
  await worker.drain();
  return db.message.findUniqueOrThrow({ where: { id } });
}

async function viewOf(id: string): Promise<MessageDetail> {
  const res = await callRoute(getMessage, { user, params: { id } });
  expect(res.status).toBe(200);
  return ((await res.json()) as { message: MessageDetail }).message;
}

const outcomeOf = (id: string) => announced.filter((o) => o.messageId === id).at(-1);

// Each case is a few real SMTP conversations and database round trips: on a busy machine more than the default 5 s.
describe("per-recipient delivery", { timeout: 30_000 }, () => {
  it("450 for one of two recipients: the other gets it now, the deferred one alone once the 450 is lifted", async () => {
    let busy = true;
    const s = await scriptedServer((a) =>
      busy && a === "b@y.test" ? { code: 450, text: "4.2.0 Mailbox busy" } : null,
    );
    const id = await sendThrough(s.port, ["a@x.test", "b@y.test"]);

    const first = await deliver(id);
    expect(first).toMatchObject({ status: "queued", attempts: 1 });
    expect(first.nextAttemptAt.getTime()).toBeGreaterThan(Date.now());
    const retrying = await viewOf(id);
    expect(retrying.recipients).toEqual([
      { address: "a@x.test", state: "accepted", reply: null, reason: null },
      {
        address: "b@y.test",
        state: "deferred",
        reply: { code: 450, enhanced: "4.2.0", text: "Mailbox busy" },
        reason: "450 4.2.0 Mailbox busy",
      },
    ]);
    expect(retrying.events.at(-1)?.detail).toMatch(
      /^Accepted for a@x\.test; deferred for b@y\.test \(450 4\.2\.0 Mailbox busy\) — will retry at \d{4}-/,
    );
    expect(outcomeOf(id)).toMatchObject({ kind: "retrying", accepted: ["a@x.test"] });

    busy = false;
    const second = await deliver(id);
    await s.close();
    expect(second).toMatchObject({ status: "sent", attempts: 2 });
    // Exactly one copy each, under one Message-ID.
    expect([s.copies("a@x.test"), s.copies("b@y.test")]).toEqual([1, 1]);
    expect(new Set(s.messageIds).size).toBe(1);
    expect((await viewOf(id)).recipients.map((r) => r.state)).toEqual(["accepted", "accepted"]);
    expect(outcomeOf(id)).toMatchObject({ kind: "delivered", accepted: ["a@x.test", "b@y.test"] });
  });

  it("550 for one of two: partly delivered, the server's reason stored and shown, in the list too", async () => {
    const s = await scriptedServer((a) =>
      a === "c@z.test" ? { code: 550, text: "5.1.1 Mailbox does not exist" } : null,
    );
    const id = await sendThrough(s.port, ["a@x.test", "c@z.test"]);
    const m = await deliver(id);
    await s.close();
    expect(m).toMatchObject({ status: "partial", attempts: 1 });
    expect(s.copies("a@x.test")).toBe(1);

    const view = await viewOf(id);
    expect(view.status).toBe("partial");
    expect(view.recipients[1]).toEqual({
      address: "c@z.test",
      state: "refused",
      reply: { code: 550, enhanced: "5.1.1", text: "Mailbox does not exist" },
      reason: "550 5.1.1 Mailbox does not exist",
    });
    expect(view.events.at(-1)).toMatchObject({
      type: "partial",
      detail: expect.stringContaining("refused for c@z.test: 550 5.1.1 Mailbox does not exist"),
    });
    const list = await callRoute(listMessages, { user, path: "/api/messages?status=partial" });
    const items = ((await list.json()) as { items: MessageSummary[] }).items;
    expect(items.find((i) => i.id === id)?.recipients[1]?.reason).toBe("550 5.1.1 Mailbox does not exist");

    const push = buildPushPayload(outcomeOf(id)!);
    expect(push.title).toBe("Delivered to 1 of 2 — c@z.test refused: Mailbox does not exist");
  });

  it("every recipient refused: failed, and each address is named with its reason", async () => {
    const s = await scriptedServer((a) => ({ code: 550, text: `5.1.1 <${a}>: Recipient address rejected` }));
    const id = await sendThrough(s.port, ["a@x.test", "b@y.test"]);
    const m = await deliver(id);
    await s.close();
    expect(m).toMatchObject({ status: "failed", attempts: 1 });
    expect(m.lastError).toBe(
      "Refused for a@x.test: 550 5.1.1 <a@x.test>: Recipient address rejected; " +
        "refused for b@y.test: 550 5.1.1 <b@y.test>: Recipient address rejected",
    );
    const view = await viewOf(id);
    expect(view.recipients.map((r) => [r.address, r.state])).toEqual([
      ["a@x.test", "refused"],
      ["b@y.test", "refused"],
    ]);
    expect(view.events.at(-1)?.type).toBe("failed");
    expect(buildPushPayload(outcomeOf(id)!).title).toBe(
      "Not delivered to a@x.test, b@y.test: <a@x.test>: Recipient address rejected",
    );
  });

  it("a 450 that never lifts: the retries end with that recipient refused, saying why", async () => {
    const s = await scriptedServer((a) =>
      a === "b@y.test" ? { code: 450, text: "4.2.0 Mailbox busy" } : null,
    );
    const id = await sendThrough(s.port, ["a@x.test", "b@y.test"]);
    await deliver(id);
    // The last attempt allowed (DELIVERY_MAX_ATTEMPTS) gives up.
    await db.message.update({ where: { id }, data: { attempts: env.DELIVERY_MAX_ATTEMPTS - 1 } });
    const m = await deliver(id);
    await s.close();
    expect(m.status).toBe("partial");
    expect([s.copies("a@x.test"), s.copies("b@y.test")]).toEqual([1, 0]);
    const refused = (await viewOf(id)).recipients[1];
    expect(refused).toMatchObject({ state: "refused" });
    expect(refused?.reason).toMatch(/^gave up after \d+ attempts: 450 4\.2\.0 Mailbox busy$/);
  });

  it("a retry that cannot connect and gives up: the accepted one stays accepted, the deferred one is refused with why", async () => {
    const s = await scriptedServer((a) =>
      a === "b@y.test" ? { code: 450, text: "4.2.0 Mailbox busy" } : null,
    );
    const id = await sendThrough(s.port, ["a@x.test", "b@y.test"]);
    await deliver(id);
    await s.close(); // the next attempt finds nobody listening
    await db.message.update({ where: { id }, data: { attempts: env.DELIVERY_MAX_ATTEMPTS - 1 } });
    const m = await deliver(id);
    expect(m.status).toBe("partial");
    expect(s.copies("a@x.test")).toBe(1);
    const view = await viewOf(id);
    expect(view.recipients.map((r) => [r.state, r.reason])).toEqual([
      ["accepted", null],
      ["refused", `gave up after ${env.DELIVERY_MAX_ATTEMPTS} attempts: 450 4.2.0 Mailbox busy`],
    ]);
  });

  it("no final reply (EUNCONFIRMED): unknown outcome, retried under the same Message-ID, never a plain failure", async () => {
    const s = await scriptedServer(() => null);
    const id = await sendThrough(s.port, ["a@x.test", "b@y.test"]);
    // The attempt as the SMTP client reports it when the final reply never came (lib/mail: EUNCONFIRMED).
    await db.message.update({ where: { id }, data: { status: "sending", attempts: 1 } });
    const [raw] = await db.$queryRaw<RawClaimedRow[]>`
      SELECT "id", "userId", "senderId", "messageIdHeader", "fromName", "fromEmail", "to", "cc", "bcc",
        "subject", "html", "text", "attempts", "createdAt", "recipientOutcomes"
      FROM "Message" WHERE "id" = ${id}`;
    const claimed = { ...fromRaw(raw!), attempts: 1 };
    const error = Object.assign(new Error("No reply after the message data"), {
      code: "EUNCONFIRMED",
      command: "DATA",
      accepted: ["a@x.test", "b@y.test"],
    });
    await recordSendError(claimed, error, { host: "127.0.0.1", port: s.port }, "x");

    const unknown = await db.message.findUniqueOrThrow({ where: { id } });
    expect(unknown).toMatchObject({ status: "queued" });
    const view = await viewOf(id);
    expect(view.recipients.map((r) => r.state)).toEqual(["unknown", "unknown"]);
    expect(view.events.at(-1)).toMatchObject({
      type: "retry",
      detail: expect.stringMatching(
        /^Unknown outcome for a@x\.test, b@y\.test \(no final reply .*\) — will retry at/,
      ),
    });
    expect(outcomeOf(id)?.kind).toBe("retrying");

    const m = await deliver(id);
    await s.close();
    expect(m).toMatchObject({ status: "sent", attempts: 2 });
    expect(s.messageIds).toEqual([m.messageIdHeader]);
  });

  it("counts each recipient's outcome in the metrics", async () => {
    const text = await metrics.registry.getSingleMetricAsString("securevault_recipient_outcomes_total");
    for (const outcome of ["accepted", "deferred", "refused"]) {
      expect(text).toMatch(
        new RegExp(`securevault_recipient_outcomes_total\\{outcome="${outcome}"\\} [1-9]`),
      );
    }
  });
});
