import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as createSender } from "@/app/api/senders/route";
import { db } from "@/lib/db/client";
import { startDeliveryWorker, type DeliveryWorker } from "@/lib/delivery/worker";
import { closeAllPools } from "@/lib/mail/transport";
import { callRoute, enqueueTestMessage, signUpUser, type TestUser } from "@/tests/support/api";
import { startScriptedSmtp } from "@/tests/support/scripted-smtp";

// Each scenario is a real SMTP conversation with a server the test controls; each must end in the right
// state, with the right number of attempts and a reason a person can act on.
let user: TestUser;
let worker: DeliveryWorker;

beforeAll(async () => {
  user = await signUpUser();
  worker = startDeliveryWorker({ pollMs: 60_000, maxInFlight: 3 });
});

afterAll(async () => {
  await worker.stop();
  closeAllPools();
});

function addSender(host: string, port: number, security: "none" | "starttls" = "none") {
  return callRoute(createSender, {
    method: "POST",
    user,
    json: { preset: "custom", fromEmail: "me@acme.test", host, port, security, password: "pw" },
  });
}

async function sendThrough(port: number, to: string[], security: "none" | "starttls" = "none") {
  const { sender } = await (await addSender("127.0.0.1", port, security)).json();
  return enqueueTestMessage(user, sender.id, { to, subject: "Fault test" });
}

async function deliver(id: string) {
  await db.message.update({ where: { id }, data: { nextAttemptAt: new Date() } }); // due now, whatever the backoff said
  await worker.drain();
  return db.message.findUniqueOrThrow({ where: { id } });
}

async function smtpServer(options: ConstructorParameters<typeof SMTPServer>[0]) {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    allowInsecureAuth: true,
    onAuth: (_auth, _session, cb) => cb(null, { user: "me" }),
    logger: false,
    disableReverseLookup: true,
    ...options,
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.server.address() as AddressInfo).port,
    // Pooled connections would keep the server waiting on close: drop them first.
    close: () => {
      closeAllPools();
      return new Promise<void>((r) => server.close(() => r()));
    },
  };
}

const smtpError = (code: number, text: string) => Object.assign(new Error(text), { responseCode: code });

describe("delivery faults", () => {
  it("connection refused: kept for a retry with the reason", async () => {
    const s = await smtpServer({});
    await s.close();
    const m = await deliver(await sendThrough(s.port, ["a@example.com"]));
    expect(m).toMatchObject({ status: "queued", attempts: 1 });
    expect(m.lastError).toMatch(/refused the connection/);
  });

  it("greeting never sent: kept for a retry, explained", async () => {
    const s = await startScriptedSmtp("silent");
    const m = await deliver(await sendThrough(s.port, ["a@example.com"]));
    await s.close();
    expect(m).toMatchObject({ status: "queued", attempts: 1 });
    expect(m.lastError).toMatch(/never greeted|Timed out/);
  });

  it("421 at connect: a temporary refusal, retried", async () => {
    const s = await smtpServer({ onConnect: (_session, cb) => cb(smtpError(421, "Too busy, try later")) });
    const m = await deliver(await sendThrough(s.port, ["a@example.com"]));
    await s.close();
    expect(m).toMatchObject({ status: "queued", attempts: 1 });
    expect(m.lastError).toMatch(/421/);
  });

  it("451 then 250 on RCPT: the second attempt delivers", async () => {
    let calls = 0;
    const s = await smtpServer({
      onRcptTo: (_a, _s, cb) => (++calls === 1 ? cb(smtpError(451, "Greylisted, try again")) : cb()),
      onData: (stream, _s, cb) => stream.on("end", () => cb()).resume(),
    });
    const id = await sendThrough(s.port, ["a@example.com"]);
    const first = await deliver(id);
    expect(first).toMatchObject({ status: "queued", attempts: 1 });
    expect(first.lastError).toMatch(/451/);
    const second = await deliver(id);
    await s.close();
    expect(second).toMatchObject({ status: "sent", attempts: 2 });
  });

  it("550 on one of three recipients: sent to two, the third reported, the message partly delivered", async () => {
    const s = await smtpServer({
      onRcptTo: (a, _s, cb) => (a.address === "gone@example.com" ? cb(smtpError(550, "No such user")) : cb()),
      onData: (stream, _s, cb) => stream.on("end", () => cb()).resume(),
    });
    const m = await deliver(
      await sendThrough(s.port, ["a@example.com", "gone@example.com", "b@example.com"]),
    );
    await s.close();
    expect(m).toMatchObject({
      status: "partial",
      attempts: 1,
      accepted: ["a@example.com", "b@example.com"],
      rejected: ["gone@example.com"],
    });
  });

  it("552 on DATA: a permanent failure, not retried", async () => {
    const s = await smtpServer({
      onData: (stream, _s, cb) => stream.on("end", () => cb(smtpError(552, "Message too big"))).resume(),
    });
    const m = await deliver(await sendThrough(s.port, ["a@example.com"]));
    await s.close();
    expect(m).toMatchObject({ status: "failed", attempts: 1 });
    expect(m.lastError).toMatch(/552/);
  });

  it("connection dropped after DATA, before the reply: retried (the same Message-ID lets the receiver spot a repeat)", async () => {
    const s = await startScriptedSmtp("drop-after-data");
    const m = await deliver(await sendThrough(s.port, ["a@example.com"]));
    await s.close();
    expect(m).toMatchObject({ status: "queued", attempts: 1 });
    // No final reply: an unknown outcome, not a failure (the message may have arrived).
    expect(m.lastError).toMatch(/unknown outcome/i);
  });

  it("a 250 that arrives slowly (within the timeout) still counts as delivered", async () => {
    const s = await startScriptedSmtp({ slowFinalReplyMs: 1200 });
    const m = await deliver(await sendThrough(s.port, ["a@example.com"]));
    await s.close();
    expect(m).toMatchObject({ status: "sent", attempts: 1 });
    expect(m.smtpResponse).toMatch(/queued slowly/);
  });

  it("STARTTLS required but not offered: fails with the reason instead of retrying for hours", async () => {
    const s = await smtpServer({ onData: (stream, _s, cb) => stream.on("end", () => cb()).resume() });
    const m = await deliver(await sendThrough(s.port, ["a@example.com"], "starttls"));
    await s.close();
    expect(m).toMatchObject({ status: "failed", attempts: 1 });
    expect(m.lastError).toMatch(/did not offer the TLS/);
  });
});

describe("server-side request forgery", () => {
  it.each([
    ["a name that resolves to 127.0.0.1", "localhost", 587],
    ["an IPv4-mapped IPv6 loopback", "::ffff:127.0.0.1", 587],
    ["the cloud metadata address", "169.254.169.254", 25],
  ])("refuses %s when saving or connecting", async (_name, host, port) => {
    const created = await addSender(host, port);
    if (created.status === 400) {
      expect((await created.json()).error.fields).toHaveProperty("host");
      return;
    }
    // A name is only known to be private once resolved: the connection is refused, permanently and explained.
    const { sender } = await created.json();
    const m = await deliver(
      await enqueueTestMessage(user, sender.id, { to: ["a@example.com"], subject: "SSRF" }),
    );
    expect(m).toMatchObject({ status: "failed", attempts: 1 });
    expect(m.lastError).toMatch(/private or local address \(127\.0\.0\.1\)/);
  });

  it("refuses ports other than SMTP's unless the host is allowlisted", async () => {
    const res = await addSender("smtp.example.com", 6379);
    expect(res.status).toBe(400);
    expect((await res.json()).error.fields).toHaveProperty("port");
  });
});
