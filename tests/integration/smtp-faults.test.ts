import { execFileSync } from "node:child_process";
import fs from "node:fs";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { SMTPServer, type SMTPServerOptions } from "smtp-server";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { Sender } from "@/lib/generated/prisma/client";
import { buildMimeMessage } from "@/lib/mail/mime-build";
import { createSmtpPool, type SmtpClientOptions, type SmtpPool } from "@/lib/mail/smtp-client";
import { describeSmtpError } from "@/lib/mail/smtp-errors";
import { smtpTrustedCas } from "@/lib/mail/smtp-trust";
import { smtpOptionsFor } from "@/lib/mail/transport";
import { runHandshake } from "@/lib/senders/test-connection";
import { startScriptedSmtp, type SmtpScript } from "@/tests/support/scripted-smtp";

// The SMTP client against servers that misbehave or refuse, each case one a real server produced: what the
// server must never see (a message line read as a command, DATA after every recipient was refused, a second
// failed login), and what the caller must be told (an unknown outcome, an untrusted certificate, no login).

// Read by lib/env.ts at import; the bundle itself is written by the CA test below, read at use.
const caFile = vi.hoisted(() => (process.env.SMTP_CA_FILE = `${process.env.DATA_DIR}/smtp-ca.pem`));

const cleanups: (() => Promise<unknown> | unknown)[] = [];
let certificates: { key: Buffer; cert: Buffer } | undefined;
beforeAll(() => {
  certificates = makeCertificates();
  // Without openssl, an empty bundle file: SMTP_CA_FILE must name a readable PEM for any sender to work.
  if (!certificates) fs.writeFileSync(caFile, "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n");
});
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function scripted(script: SmtpScript) {
  const s = await startScriptedSmtp(script);
  cleanups.push(s.close);
  return s;
}

function pool(options: Partial<SmtpClientOptions> & { port: number }, maxConnections = 1): SmtpPool {
  const p = createSmtpPool(
    {
      host: "127.0.0.1",
      security: "none",
      ...options,
      timeouts: { connect: 2000, greeting: 2000, command: 5000, ...options.timeouts },
    },
    { maxConnections },
  );
  cleanups.push(() => p.close());
  return p;
}

// Lines a server must never take as commands: they read like SMTP on purpose.
const message = buildMimeMessage({
  messageId: "probe@securevault.test",
  date: new Date("2026-01-02T03:04:05Z"),
  from: { address: "me@acme.test" },
  to: [{ address: "a@example.com" }],
  subject: "Probe",
  html: "<p>hi</p>",
  text: "MAIL FROM:<evil@example.com>\nRCPT TO:<victim@example.com>\nVRFY root\nHELP\n",
});
const messageLines = new Set(message.toString("latin1").split("\r\n").filter(Boolean));

const failureOf = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error("expected the send to fail");
    },
    (error: unknown) => error as Error & Record<string, unknown>,
  );

const modes = [
  ["PIPELINING and CHUNKING (BDAT)", ["PIPELINING", "CHUNKING"]],
  ["PIPELINING (DATA)", ["PIPELINING"]],
  ["lock-step", []],
] as const;

/**
 * DATA commands a pipelining client sends for `messages` transactions: with PIPELINING and without CHUNKING,
 * DATA ends each envelope's group (RFC 2920) and the server answers it 354 only when a recipient was taken;
 * BDAT and lock-step DATA wait for the envelope's replies.
 */
const pipelinedData = (caps: readonly string[], messages: number) =>
  caps.includes("PIPELINING") && !caps.includes("CHUNKING") ? messages : 0;

describe("no message byte before the server agreed to take it", () => {
  it.each(modes)("a server refusing MAIL with 530 (%s) reads no line of the message", async (_n, caps) => {
    const s = await scripted({
      capabilities: [...caps],
      mail: "530 5.7.0 Must issue a STARTTLS command first",
    });
    const p = pool({ port: s.port });
    const error = await failureOf(p.send({ from: "me@acme.test", to: ["a@example.com"] }, message));
    expect(error).toMatchObject({ code: "EENVELOPE", reply: { code: 530 }, command: "MAIL FROM" });
    // A later message on the same pool is refused the same way, and its body never leaves either.
    await failureOf(p.send({ from: "me@acme.test", to: ["b@example.com"] }, message));
    expect(s.commands.filter((c) => messageLines.has(c))).toEqual([]);
    expect(s.commands.some((c) => /^BDAT/i.test(c))).toBe(false);
    // A pipelined DATA is refused (503: no MAIL), so no body follows it.
    expect(s.commands.filter((c) => /^DATA/i.test(c))).toHaveLength(pipelinedData(caps, 2));
    expect(s.accepted()).toBe(0);
    expect(s.commands).toContain("RSET");
  });

  it.each(modes)(
    "every recipient refused (%s): no body, RSET, and the next message goes",
    async (_n, caps) => {
      const s = await scripted({
        capabilities: [...caps],
        rcpt: (address) =>
          address.startsWith("gone") ? `550 5.1.1 <${address}>: Recipient address rejected` : "250 2.1.5 Ok",
      });
      const p = pool({ port: s.port });
      const [refused, delivered] = await Promise.allSettled([
        p.send({ from: "me@acme.test", to: ["gone1@example.com", "gone2@example.com"] }, message),
        p.send({ from: "me@acme.test", to: ["c@example.com"] }, message),
      ]);
      expect(refused).toMatchObject({
        status: "rejected",
        reason: {
          code: "EENVELOPE",
          reply: { code: 550 },
          rejected: ["gone1@example.com", "gone2@example.com"],
        },
      });
      // Each refusal keeps the server's whole reply, enhanced status included.
      const reasons = (refused as PromiseRejectedResult).reason.rejectedErrors as Record<string, unknown>[];
      expect(reasons.map((r) => [r.recipient, r.reply])).toEqual([
        [
          "gone1@example.com",
          { code: 550, text: "550 5.1.1 <gone1@example.com>: Recipient address rejected" },
        ],
        [
          "gone2@example.com",
          { code: 550, text: "550 5.1.1 <gone2@example.com>: Recipient address rejected" },
        ],
      ]);
      expect(delivered).toMatchObject({ status: "fulfilled", value: { accepted: ["c@example.com"] } });
      // One body went out: the second message's (a pipelined DATA of the first was refused with 554).
      expect(s.commands.filter((c) => /^(DATA|BDAT)/i.test(c))).toHaveLength(
        Math.max(1, pipelinedData(caps, 2)),
      );
      expect(s.accepted()).toBe(1);
      expect(s.commands.indexOf("RSET")).toBeGreaterThan(s.commands.findIndex((c) => c.includes("gone2")));
    },
  );

  it("a server that answers a pipelined DATA with 354 although it refused every recipient gets no body", async () => {
    const s = await scripted({
      capabilities: ["PIPELINING"],
      rcpt: () => "550 5.1.1 No such user",
      dataWithoutRecipients: true,
    });
    const p = pool({ port: s.port });
    const error = await failureOf(p.send({ from: "me@acme.test", to: ["gone@example.com"] }, message));
    expect(error).toMatchObject({ code: "EENVELOPE", command: "RCPT TO", rejected: ["gone@example.com"] });
    // "." alone ended the data it waited for: no line of the message reached it, as data or as a command.
    expect(s.dataLines).toEqual([]);
    expect(s.commands.filter((c) => messageLines.has(c))).toEqual([]);
    expect(s.commands).toContain("DATA");
  });
});

describe("timeouts: connect, greeting, command and final reply apart", () => {
  it("a final reply that never comes is EUNCONFIRMED, with the recipients' replies", async () => {
    const s = await scripted({
      capabilities: ["PIPELINING", "CHUNKING"],
      rcpt: (address) => (address.startsWith("gone") ? "550 5.1.1 No such user" : "250 2.1.5 Ok"),
      afterData: "never",
    });
    const p = pool({ port: s.port, timeouts: { finalReply: 400 } });
    const [unconfirmed, next] = await Promise.allSettled([
      p.send({ from: "me@acme.test", to: ["a@example.com", "gone@example.com"] }, message),
      p.send({ from: "me@acme.test", to: ["b@example.com"] }, message),
    ]);
    // The next message's envelope went out behind the first's data, but nothing of it: a plain failure to retry.
    expect(next).toMatchObject({ status: "rejected", reason: { code: "ETIMEDOUT" } });
    const error = (unconfirmed as PromiseRejectedResult).reason as Error;
    expect(error).toMatchObject({
      code: "EUNCONFIRMED",
      accepted: ["a@example.com"],
      rejected: ["gone@example.com"],
      rejectedErrors: [{ reply: { code: 550, text: "550 5.1.1 No such user" } }],
    });
    const failure = describeSmtpError(error, { host: "mail.acme.test", port: 587 });
    expect(failure.permanent).toBe(false);
    expect(failure.message).toMatch(
      /^The server mail\.acme\.test:587 did not confirm .*no final reply within 400 ms.* It may have arrived; it will be tried again with the same Message-ID/,
    );
  });

  it("a final reply slower than the command timeout is still a success", async () => {
    const s = await scripted({ capabilities: ["PIPELINING"], afterData: { delayMs: 900 } });
    const p = pool({ port: s.port, timeouts: { command: 300, finalReply: 10_000 } });
    await expect(p.send({ from: "me@acme.test", to: ["a@example.com"] }, message)).resolves.toMatchObject({
      accepted: ["a@example.com"],
      response: "250 2.0.0 Ok: queued slowly",
    });
  });

  it("a command reply slower than the command timeout fails as a timeout, before any data", async () => {
    const s = await scripted({ capabilities: ["PIPELINING"], commandDelayMs: 1500 });
    const p = pool({ port: s.port, timeouts: { command: 300, finalReply: 10_000 } });
    const error = await failureOf(p.send({ from: "me@acme.test", to: ["a@example.com"] }, message));
    expect(error).toMatchObject({ code: "ETIMEDOUT" });
    expect(describeSmtpError(error).message).toMatch(/Timed out waiting/);
    expect(s.accepted()).toBe(0);
  });

  it("a sender's options: SMTP_TIMEOUT_MS for connect, greeting and commands; 10 minutes for the final reply", async () => {
    const options = await smtpOptionsFor(customSender({ port: 2525, security: "none" }));
    expect(options.timeouts).toMatchObject({
      connect: 2000, // SMTP_TIMEOUT_MS in the test settings
      greeting: 2000,
      command: 2000,
      finalReply: 600_000,
    });
    expect(options.name).not.toMatch(/^\[/);
  });
});

describe("connections on demand, and one failed login at most", () => {
  it("a burst with a wrong password: one AUTH attempt, everything refused, no retry", async () => {
    const s = await scripted({
      capabilities: ["PIPELINING", "AUTH PLAIN LOGIN"],
      auth: "535 5.7.8 Error: authentication failed",
    });
    const p = pool({ port: s.port, auth: { user: "me", pass: "wrong" } }, 5);
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) =>
        p.send({ from: "me@acme.test", to: [`r${i}@example.com`] }, message),
      ),
    );
    for (const r of results)
      expect(r).toMatchObject({ status: "rejected", reason: { code: "EAUTH", reply: { code: 535 } } });
    // Later sends are refused at once with the same reason: the credentials are not tried again.
    await expect(p.send({ from: "me@acme.test", to: ["x@example.com"] }, message)).rejects.toMatchObject({
      code: "EAUTH",
    });
    expect(p.authFailure()).toMatchObject({ code: "EAUTH" });
    expect(s.authAttempts()).toBe(1);
    expect(s.connections()).toBe(1);
    expect(describeSmtpError(p.authFailure()).message).toMatch(/rejected the username or password/);
  });

  it("a temporary login failure (454) does not stop the pool: a later message tries again", async () => {
    const s = await scripted({
      capabilities: ["PIPELINING", "AUTH PLAIN"],
      auth: "454 4.7.0 Temporary authentication failure",
    });
    const p = pool({ port: s.port, auth: { user: "me", pass: "right" } }, 5);
    const first = await failureOf(p.send({ from: "me@acme.test", to: ["a@example.com"] }, message));
    expect(first).toMatchObject({ code: "EAUTH", reply: { code: 454 } });
    expect(describeSmtpError(first)).toMatchObject({ permanent: false });
    expect(p.authFailure()).toBeUndefined();
    await failureOf(p.send({ from: "me@acme.test", to: ["a@example.com"] }, message));
    expect(s.authAttempts()).toBe(2);
  });

  it("one message opens one connection; a long queue opens the rest once the first has signed in", async () => {
    const s = await scripted({ capabilities: ["PIPELINING", "CHUNKING", "AUTH PLAIN"] });
    const p = pool({ port: s.port, auth: { user: "me", pass: "right" } }, 5);
    await p.send({ from: "me@acme.test", to: ["a@example.com"] }, message);
    expect(s.connections()).toBe(1);
    await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        p.send({ from: "me@acme.test", to: [`r${i}@example.com`] }, message),
      ),
    );
    expect(s.connections()).toBe(5);
    expect(s.authAttempts()).toBe(5);
    expect(s.accepted()).toBe(101);
  });
});

describe("errors named right", () => {
  it("552 for size at MAIL names the server's limit", async () => {
    const s = await scripted({
      capabilities: ["PIPELINING", "SIZE 1000"],
      mail: "552 5.3.4 Message size exceeds fixed limit",
    });
    const error = await failureOf(
      pool({ port: s.port }).send({ from: "me@acme.test", to: ["a@example.com"] }, message),
    );
    expect(error).toMatchObject({ reply: { code: 552 }, sizeLimit: 1000 });
    const failure = describeSmtpError(error);
    expect(failure).toMatchObject({ permanent: true });
    expect(failure.message).toMatch(/too large \(552\)\. It accepts messages up to 1000 bytes/);
    // The MAIL command declared the size, so a careful server could refuse before any data.
    expect(s.commands.find((c) => c.startsWith("MAIL"))).toMatch(/ SIZE=\d+/);
  });

  it("Test connection, security none, against a server that wants STARTTLS first: no 'signed in'", async () => {
    const s = await scripted({
      capabilities: ["PIPELINING", "STARTTLS"],
      mail: "530 5.7.0 Must issue a STARTTLS command first",
    });
    const result = await runHandshake(customSender({ port: s.port, security: "none", username: "me" }));
    expect(result.ok).toBe(false);
    expect(result.message).not.toMatch(/signed in/);
    expect(result.message).toMatch(/did not ask for or offer a login over an unencrypted connection/);
    expect(result.message).toMatch(
      /It refuses to take mail: "530 5\.7\.0 Must issue a STARTTLS command first"/,
    );
    expect(result.message).toMatch(/choose the security setting "STARTTLS"/);
    expect(s.authAttempts()).toBe(0);
  });

  it.each([
    [
      "a relay without AUTH or STARTTLS that takes mail",
      { capabilities: ["PIPELINING"] },
      true,
      /were not checked\. The server takes mail without a login/,
    ],
    [
      "a server that signs us in but refuses the sender's address",
      { capabilities: ["AUTH PLAIN"], mail: "553 5.7.1 Sender address rejected: not owned by user me" },
      false,
      /signed in, but the server refuses mail from this address: "553 5\.7\.1/,
    ],
    [
      "a server that signs us in and takes mail",
      { capabilities: ["AUTH PLAIN"] },
      true,
      /signed in successfully/,
    ],
  ] as const)("Test connection against %s", async (_name, script, ok, message) => {
    const s = await scripted({ ...script, capabilities: [...script.capabilities] });
    const result = await runHandshake(customSender({ port: s.port, security: "none", username: "me" }));
    expect(result).toMatchObject({ ok, message: expect.stringMatching(message) });
    // The question was asked with the sender's address and withdrawn; no message was started.
    expect(s.commands.filter((c) => /^(MAIL|RCPT|DATA|BDAT|RSET)/.test(c))).toEqual([
      "MAIL FROM:<me@acme.test>",
      "RSET",
    ]);
  });

  it("Test connection against a server that never greets: a greeting timeout, with no TLS guess", async () => {
    const s = await scripted({ silent: true });
    const result = await runHandshake(customSender({ port: s.port, security: "none", username: "me" }));
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/never greeted us \(greeting timeout\)/);
    expect(result.message).not.toMatch(/TLS/);
  });
});

describe("an untrusted certificate, and SMTP_CA_FILE", () => {
  it("without the CA: 'not trusted' on send (STARTTLS and SSL/TLS); with SMTP_CA_FILE: sent", async (ctx) => {
    if (!certificates) {
      console.log("skipping the private CA test: no openssl binary to make the certificates");
      return ctx.skip();
    }
    const { key, cert } = certificates;
    const starttls = await tlsServer({ key, cert });
    const implicit = await tlsServer({ key, cert, secure: true });
    const send = (port: number, security: "starttls" | "tls", tls: SmtpClientOptions["tls"]) =>
      pool({
        port,
        security,
        tls,
      }).send({ from: "me@acme.test", to: ["a@example.com"] }, message);
    const servers = [
      [starttls.port, "starttls"],
      [implicit.port, "tls"],
    ] as const;

    for (const [port, security] of servers) {
      const error = await failureOf(send(port, security, { servername: "mail.acme.test" }));
      const failure = describeSmtpError(error, { host: "mail.acme.test", port, security });
      expect(failure.message).toMatch(/certificate of mail\.acme\.test:\d+ is not trusted/);
      expect(failure.message).toMatch(/SMTP_CA_FILE/);
      expect(failure.message).not.toMatch(/did not offer/);
    }

    // The admin's CA bundle, through the sender's options as delivery builds them.
    const options = await smtpOptionsFor(customSender({ port: starttls.port, security: "starttls" }));
    expect(options.tls?.ca).toEqual(smtpTrustedCas(caFile));
    for (const [port, security] of servers) {
      await expect(
        send(port, security, { servername: "mail.acme.test", ca: options.tls?.ca }),
      ).resolves.toMatchObject({ accepted: ["a@example.com"] });
    }
    expect(starttls.received + implicit.received).toBe(2);
  });
});

/** A private CA (its certificate in SMTP_CA_FILE) and a server certificate it signed, for 127.0.0.1. */
function makeCertificates(): { key: Buffer; cert: Buffer } | undefined {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "smtp-ca-"));
  const file = (name: string) => path.join(dir, name);
  try {
    const openssl = (...args: string[]) => execFileSync("openssl", args, { stdio: "ignore" });
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=Test Private CA",
      "-keyout", file("ca.key"), "-out", file("ca.pem")); // prettier-ignore
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1",
      "-keyout", file("server.key"), "-out", file("server.csr")); // prettier-ignore
    fs.writeFileSync(file("ext.cnf"), "subjectAltName=IP:127.0.0.1,DNS:mail.acme.test\n");
    openssl("x509", "-req", "-in", file("server.csr"), "-CA", file("ca.pem"), "-CAkey", file("ca.key"),
      "-CAcreateserial", "-days", "1", "-extfile", file("ext.cnf"), "-out", file("server.pem")); // prettier-ignore
  } catch {
    return undefined;
  }
  fs.copyFileSync(file("ca.pem"), caFile);
  return { key: fs.readFileSync(file("server.key")), cert: fs.readFileSync(file("server.pem")) };
}

async function tlsServer(options: SMTPServerOptions) {
  let received = 0;
  const server = new SMTPServer({
    authOptional: true,
    logger: false,
    disableReverseLookup: true,
    onData(stream, _session, cb) {
      stream.resume();
      stream.on("end", () => {
        received += 1;
        cb();
      });
    },
    ...options,
  });
  server.on("error", () => undefined); // a client that gave up on the certificate is what the test wants
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
  return {
    port: (server.server.address() as AddressInfo).port,
    get received() {
      return received;
    },
  };
}

/** A custom sender row as the database holds it, for the transport's and the connection test's own code. */
function customSender(fields: {
  port: number;
  security: "tls" | "starttls" | "none";
  username?: string;
}): Sender {
  const now = new Date();
  return {
    id: "sender-under-test",
    userId: "user-under-test",
    kind: "smtp",
    preset: "custom",
    label: "Scripted",
    fromName: null,
    fromEmail: "me@acme.test",
    host: "127.0.0.1",
    port: fields.port,
    security: fields.security,
    username: fields.username ?? null,
    secretCipher: null,
    secretTarget: null,
    oauthProvider: null,
    smtpSizeLimit: null,
    signatureHtml: null,
    dkimDomain: null,
    dkimSelector: null,
    dkimKeyCipher: null,
    dkimPublicKey: null,
    authFailedAt: null,
    authFailedReason: null,
    lastTestedAt: null,
    lastTestOk: null,
    lastTestMessage: null,
    maxConnections: null,
    maxPerSecond: null,
    maxPerDay: null,
    createdAt: now,
    updatedAt: now,
  };
}
