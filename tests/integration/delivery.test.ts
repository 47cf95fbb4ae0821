import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as getMailboxMessage } from "@/app/api/mailbox/[id]/route";
import { GET as listMailbox } from "@/app/api/mailbox/route";
import { POST as testConnection } from "@/app/api/senders/[id]/test/route";
import { POST as createSender } from "@/app/api/senders/route";
import { db } from "@/lib/db/client";
import { startDeliveryWorker, type DeliveryWorker } from "@/lib/delivery/worker";
import { closeAllPools } from "@/lib/mail/transport";
import { timelineOf } from "@/lib/messages/timeline";
import { startSandboxSmtp, type RunningSandbox } from "@/lib/sandbox/smtp-server";
import { callRoute, enqueueTestMessage, signUpUser, type TestUser } from "@/tests/support/api";
import { startTestSmtpServer, type TestSmtpServer } from "@/tests/support/smtp-test-server";

let smtp: TestSmtpServer;
let sandbox: RunningSandbox;
let worker: DeliveryWorker;
let user: TestUser;

beforeAll(async () => {
  smtp = await startTestSmtpServer({
    users: { "me@acme.test": "s3cret-app-password" },
    rejectRecipients: ["ghost@acme.test"],
  });
  sandbox = await startSandboxSmtp({ host: "127.0.0.1", port: 0 });
  // A long poll interval: each test drains explicitly, so nothing depends on timing.
  worker = startDeliveryWorker({ pollMs: 60_000, maxInFlight: 3 });
  user = await signUpUser("Mia");
});

afterAll(async () => {
  await worker.stop();
  closeAllPools();
  await sandbox.close();
  await smtp.close();
});

type ServerSettings = { host?: string; port?: number; security?: "tls" | "starttls" | "none" };

async function addSmtpSender(password: string, server: ServerSettings = {}) {
  const res = await callRoute(createSender, {
    method: "POST",
    user,
    json: {
      preset: "custom",
      fromEmail: "me@acme.test",
      fromName: "Mia",
      host: "127.0.0.1",
      port: smtp.port,
      security: "none",
      password,
      ...server,
    },
  });
  expect(res.status).toBe(201);
  return (await res.json()).sender.id as string;
}

async function sendAndDeliver(senderId: string, to: string[], html = "<p>Hi <em>there</em></p>") {
  const id = await enqueueTestMessage(user, senderId, { to, subject: "Status update", html });
  await worker.drain();
  return db.message.findUniqueOrThrow({
    where: { id },
    include: { events: { orderBy: { createdAt: "asc" } } },
  });
}

describe("delivery through a real SMTP server", () => {
  it("delivers an accepted message with an HTML part, a plain-text alternative and the enqueue-time Message-ID", async () => {
    const senderId = await addSmtpSender("s3cret-app-password");
    const before = smtp.received.length;
    const message = await sendAndDeliver(senderId, ["alice@acme.test"]);
    expect(message.status).toBe("sent");
    expect(message.smtpResponse).toContain("queued as TEST123");
    // The timeline the message page shows: the row's own steps, the server's reply on the last.
    const timeline = timelineOf(message);
    expect(timeline.map((e) => e.type)).toEqual(["queued", "sent"]);
    expect(timeline[1]!.detail).toBe(`Accepted: ${message.smtpResponse}`);
    expect(message.text).toBe("Hi there");
    const mail = smtp.received[before]!;
    expect(mail.envelopeTo).toEqual(["alice@acme.test"]);
    expect(mail.parsed.messageId).toBe(message.messageIdHeader);
    expect(mail.parsed.html).toContain("<em>there</em>");
    expect(mail.parsed.text?.trim()).toBe("Hi there");
    expect(mail.parsed.from?.text).toBe('"Mia" <me@acme.test>');
  });

  it("keeps per-recipient results when one recipient is rejected: partly delivered", async () => {
    const senderId = await addSmtpSender("s3cret-app-password");
    const message = await sendAndDeliver(senderId, ["bob@acme.test", "ghost@acme.test"]);
    expect(message.status).toBe("partial");
    expect(message.accepted).toEqual(["bob@acme.test"]);
    expect(message.rejected).toEqual(["ghost@acme.test"]);
  });

  it("fails permanently, with the server's reason, when every recipient is rejected", async () => {
    const senderId = await addSmtpSender("s3cret-app-password");
    const message = await sendAndDeliver(senderId, ["ghost@acme.test"]);
    expect(message.status).toBe("failed");
    expect(message.attempts).toBe(1);
    expect(message.lastError).toMatch(/550/);
    expect(message.lastError).toMatch(/Mailbox does not exist/);
  });

  it("waits, with a plain-words explanation, when the password is wrong (tests/integration/sender-sign-in.test.ts)", async () => {
    const senderId = await addSmtpSender("wrong-password");
    const message = await sendAndDeliver(senderId, ["alice@acme.test"]);
    expect(message.status).toBe("queued");
    expect(message.attempts).toBe(0);
    expect(message.lastError).toMatch(/rejected the username or password/);
  });

  it("keeps a temporary failure queued for a retry with the reason recorded", async () => {
    const dead = await startTestSmtpServer();
    await dead.close(); // a port nobody listens on any more
    const message = await sendAndDeliver(await addSmtpSender("x", { port: dead.port }), ["alice@acme.test"]);
    expect(message.status).toBe("queued");
    expect(message.nextAttemptAt.getTime()).toBeGreaterThan(Date.now());
    expect(message.lastError).toMatch(/refused the connection/);
    expect(message.events.at(-1)?.type).toBe("retry");
  });

  it.each([
    ["the right password", "s3cret-app-password", true, /signed in successfully/],
    ["a wrong password", "nope", false, /rejected the username or password/],
  ])("Test connection with %s runs a real handshake", async (_name, password, ok, message) => {
    const senderId = await addSmtpSender(password);
    const res = await callRoute(testConnection, { method: "POST", user, params: { id: senderId } });
    expect(res.status).toBe(200);
    const { result } = await res.json();
    expect(result.ok).toBe(ok);
    expect(result.message).toMatch(message);
    const stored = await db.sender.findUniqueOrThrow({ where: { id: senderId } });
    expect(stored.lastTestOk).toBe(ok);
  });
});

describe("Test connection explains failures in plain words", () => {
  async function testCustom(host: string, port: number, security: "tls" | "starttls" | "none") {
    const senderId = await addSmtpSender("x", { host, port, security });
    const res = await callRoute(testConnection, { method: "POST", user, params: { id: senderId } });
    return (await res.json()).result as { ok: boolean; message: string };
  }

  it("host not found", async () => {
    const result = await testCustom("no-such-host.invalid", 587, "starttls");
    expect(result).toMatchObject({ ok: false, message: expect.stringMatching(/Host not found/) });
  });

  it("TLS mode mismatch (SSL/TLS against a plain SMTP port)", async () => {
    const result = await testCustom("127.0.0.1", smtp.port, "tls");
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/TLS mode mismatch|never greeted/);
  });

  it("timeout when the server accepts the connection but never speaks", async () => {
    const net = await import("node:net");
    const silent = net.createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const port = (silent.address() as import("node:net").AddressInfo).port;
    try {
      const result = await testCustom("127.0.0.1", port, "none");
      expect(result).toMatchObject({ ok: false, message: expect.stringMatching(/never greeted|Timed out/) });
    } finally {
      silent.close();
    }
  });

  it("STARTTLS required but not offered", async () => {
    const result = await testCustom("127.0.0.1", smtp.port, "starttls");
    expect(result).toMatchObject({ ok: false, message: expect.stringMatching(/did not offer the TLS/) });
  });
});

describe("the built-in sandbox mailbox", () => {
  it("captures what the Sandbox sender sends into the sender's own Mailbox, parsed and sanitized", async () => {
    const sandboxSender = await db.sender.findFirstOrThrow({ where: { userId: user.id, kind: "sandbox" } });
    const message = await sendAndDeliver(
      sandboxSender.id,
      ["friend@example.com"],
      "<h2>Agenda</h2><ul><li><strong>One</strong></li></ul>",
    );
    expect(message.status).toBe("sent");

    const list = await (await callRoute(listMailbox, { user })).json();
    expect(list.items[0]).toMatchObject({ subject: "Status update", to: ["friend@example.com"] });
    const detail = await (
      await callRoute(getMailboxMessage, { user, params: { id: list.items[0].id } })
    ).json();
    expect(detail.message.html).toContain("<strong>One</strong>");
    expect(detail.message.text).toContain("AGENDA");
    expect(detail.message.messageId).toBe(message.messageIdHeader);

    const stranger = await signUpUser();
    expect((await (await callRoute(listMailbox, { user: stranger })).json()).items).toEqual([]);
    expect(
      (await callRoute(getMailboxMessage, { user: stranger, params: { id: list.items[0].id } })).status,
    ).toBe(404);
  });

  it("refuses SMTP clients without valid sandbox credentials", async () => {
    const nodemailer = (await import("nodemailer")).default;
    const transport = nodemailer.createTransport({
      host: "127.0.0.1",
      port: sandbox.port,
      ignoreTLS: true,
      auth: { user: `sandbox-${user.id}`, pass: "guess" },
    });
    await expect(transport.verify()).rejects.toMatchObject({ code: "EAUTH" });
    transport.close();
  });
});
