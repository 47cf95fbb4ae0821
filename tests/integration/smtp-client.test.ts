import { execFileSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { simpleParser } from "mailparser";
import { SMTPServer, type SMTPServerOptions } from "smtp-server";
import { afterEach, describe, expect, it } from "vitest";
import { buildMimeMessage } from "@/lib/mail/mime-build";
import { createSmtpPool, type SmtpClientOptions, type SmtpPool } from "@/lib/mail/smtp-client";
import { describeSmtpError } from "@/lib/mail/smtp-errors";
import { startScriptedSmtp } from "@/tests/support/scripted-smtp";

// Real servers only: smtp-server (which offers PIPELINING) and the scripted misbehaving one. Each fault is
// checked as the client names it (SmtpError) and as describeSmtpError words it for the user.

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

type Received = { from: string; to: string[]; raw: Buffer };

async function smtpServer(options: SMTPServerOptions = {}) {
  const received: Received[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    allowInsecureAuth: true,
    logger: false,
    disableReverseLookup: true,
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks),
        });
        cb(null, "2.0.0 Ok: queued");
      });
    },
    ...options,
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.server.address() as AddressInfo).port;
  cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
  return { port, received, server };
}

function pool(options: Partial<SmtpClientOptions> & { port: number }, maxConnections = 1): SmtpPool {
  const p = createSmtpPool(
    {
      host: "127.0.0.1",
      security: "none",
      ...options,
      timeouts: { connect: 2000, greeting: 1000, command: 6000, ...options.timeouts },
    },
    { maxConnections },
  );
  cleanups.push(() => p.close());
  return p;
}

const smtpError = (code: number, text: string) => Object.assign(new Error(text), { responseCode: code });

function message(i: number, extra: { subject?: string; text?: string } = {}) {
  return buildMimeMessage({
    messageId: `m${i}@securevault.test`,
    date: new Date("2026-01-02T03:04:05Z"),
    from: { name: "Zoë Sender", address: "me@acme.test" },
    to: [{ address: "a@example.com", name: "Ann" }],
    subject: extra.subject ?? `Message ${i}`,
    html: `<p>Hello ${i}</p>`,
    text: extra.text ?? `Hello ${i}\n.a line starting with a dot\n`,
  });
}

async function ourFailure(port: number, to: string[], extra: Partial<SmtpClientOptions> = {}) {
  const error = await pool({ port, ...extra })
    .send({ from: "me@acme.test", to }, message(0))
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  expect(error).toBeInstanceOf(Error);
  return { error: error as Error & Record<string, unknown>, failure: describeSmtpError(error) };
}

describe("smtp-client: sending", () => {
  // smtp-server in this process answers slowly (DATA is pipelined with the envelope; the body waits for 354).
  it(
    "pipelines, and every message of 1000 over 5 connections arrives once and parses",
    { timeout: 20_000 },
    async () => {
      const s = await smtpServer();
      const p = pool({ port: s.port }, 5);
      const results = await Promise.all(
        Array.from({ length: 1000 }, (_, i) =>
          p.send({ from: "me@acme.test", to: ["a@example.com", `r${i}@example.com`] }, message(i)),
        ),
      );
      expect(results.every((r) => r.accepted.length === 2 && r.rejected.length === 0)).toBe(true);
      expect(results[0]!.response).toMatch(/^250 .*queued/);
      expect(s.received).toHaveLength(1000);
      const ids = new Set<string>();
      for (const r of s.received) {
        const parsed = await simpleParser(r.raw);
        ids.add(parsed.messageId!);
        const i = Number(parsed.messageId!.match(/<m(\d+)@/)![1]);
        expect(r.to).toEqual(["a@example.com", `r${i}@example.com`]);
        expect(parsed.text).toBe(`Hello ${i}\n.a line starting with a dot\n`);
      }
      expect(ids.size).toBe(1000);
      expect(p.stats()).toMatchObject({ queued: 0, inFlight: 0 });
    },
  );

  it("works lock-step when the server does not offer PIPELINING", async () => {
    const s = await smtpServer({ hidePIPELINING: true } as SMTPServerOptions);
    const p = pool({ port: s.port }, 2);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        p.send({ from: "me@acme.test", to: ["a@example.com"] }, message(i)),
      ),
    );
    expect(results.every((r) => r.accepted.length === 1)).toBe(true);
    expect(s.received).toHaveLength(20);
  });

  it("reports mixed recipient results, and a message with all recipients refused does not poison the next", async () => {
    const s = await smtpServer({
      onRcptTo: (a, _s, cb) =>
        a.address.startsWith("gone") ? cb(smtpError(550, "5.1.1 No such user")) : cb(),
    });
    const p = pool({ port: s.port });
    const [mixed, none, after] = await Promise.allSettled([
      p.send(
        { from: "me@acme.test", to: ["a@example.com", "gone@example.com", "b@example.com"] },
        message(1),
      ),
      p.send({ from: "me@acme.test", to: ["gone1@example.com", "gone2@example.com"] }, message(2)),
      p.send({ from: "me@acme.test", to: ["c@example.com"] }, message(3)),
    ]);
    expect(mixed).toMatchObject({
      status: "fulfilled",
      value: { accepted: ["a@example.com", "b@example.com"], rejected: ["gone@example.com"] },
    });
    if (mixed.status === "fulfilled")
      expect(mixed.value.rejectedErrors[0]).toMatchObject({ reply: { code: 550 } });
    expect(none).toMatchObject({
      status: "rejected",
      reason: { code: "EENVELOPE", reply: { code: 550 }, command: "RCPT TO" },
    });
    if (none.status === "rejected")
      expect(none.reason.rejected).toEqual(["gone1@example.com", "gone2@example.com"]);
    expect(after).toMatchObject({ status: "fulfilled", value: { accepted: ["c@example.com"] } });
    expect(s.received.map((r) => r.to)).toEqual([["a@example.com", "b@example.com"], ["c@example.com"]]);
  });

  it("a refused message (552 on DATA) fails alone; its neighbours on the connection are delivered", async () => {
    const s = await smtpServer({
      onData(stream, session, cb) {
        stream.resume();
        stream.on("end", () =>
          session.envelope.rcptTo[0]!.address === "big@example.com"
            ? cb(smtpError(552, "5.3.4 Message too big"))
            : cb(),
        );
      },
    });
    const p = pool({ port: s.port });
    const results = await Promise.allSettled(
      ["a@example.com", "big@example.com", "b@example.com"].map((to, i) =>
        p.send({ from: "me@acme.test", to: [to] }, message(i)),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(results[1]).toMatchObject({ reason: { code: "EMESSAGE", reply: { code: 552 }, command: "DATA" } });
  });

  it("authenticates with AUTH PLAIN and AUTH LOGIN, and refuses a wrong password as EAUTH", async () => {
    const s = await smtpServer({
      authOptional: false,
      authMethods: ["PLAIN", "LOGIN"],
      onAuth: (auth, _s, cb) =>
        auth.username === "me" && auth.password === "sëcret"
          ? cb(null, { user: "me" })
          : cb(smtpError(535, "5.7.8 Authentication credentials invalid")),
    });
    for (const authMethod of ["PLAIN", "LOGIN"] as const) {
      const ok = pool({ port: s.port, auth: { user: "me", pass: "sëcret" }, authMethod });
      await expect(
        ok.send({ from: "me@acme.test", to: ["a@example.com"] }, message(1)),
      ).resolves.toMatchObject({
        accepted: ["a@example.com"],
      });
    }
    const { error, failure } = await ourFailure(s.port, ["a@example.com"], {
      auth: { user: "me", pass: "nope" },
    });
    expect(error).toMatchObject({ code: "EAUTH", reply: { code: 535 }, command: "AUTH PLAIN" });
    expect(failure.message).toMatch(/rejected the username or password/);
  });

  it("upgrades with STARTTLS and verifies the certificate for tls.servername while connecting to an IP", async (ctx) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "smtp-tls-"));
    try {
      execFileSync("openssl", [
        "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=mail.acme.test",
        "-addext", "subjectAltName=DNS:mail.acme.test",
        "-keyout", path.join(dir, "key.pem"), "-out", path.join(dir, "cert.pem"),
      ], { stdio: "ignore" }); // prettier-ignore
    } catch {
      console.log("skipping the STARTTLS test: no openssl binary to make a self-signed certificate");
      ctx.skip();
    }
    const key = fs.readFileSync(path.join(dir, "key.pem"));
    const cert = fs.readFileSync(path.join(dir, "cert.pem"));
    let secured = false;
    const s = await smtpServer({
      disabledCommands: [],
      key,
      cert,
      onMailFrom: (_a, session, cb) => {
        secured = session.secure;
        cb();
      },
    });
    const tlsOk = pool({
      port: s.port,
      security: "starttls",
      tls: { ca: cert, servername: "mail.acme.test" },
    });
    await expect(
      tlsOk.send({ from: "me@acme.test", to: ["a@example.com"] }, message(1)),
    ).resolves.toMatchObject({
      accepted: ["a@example.com"],
    });
    expect(secured).toBe(true);
    // The same certificate for another name must be refused, not silently accepted.
    const wrongName = await ourFailure(s.port, ["a@example.com"], {
      security: "starttls",
      tls: { ca: cert, servername: "other.acme.test" },
    });
    expect(wrongName.error).toMatchObject({ code: "ETLS", command: "STARTTLS" });
    expect(String(wrongName.error.message)).toMatch(/altnames|does not match/i);
  });
});

describe("smtp-client: faults, as the client names them and the user reads them", () => {
  const same = (port: number, to: string[], extra: { ours?: Partial<SmtpClientOptions> } = {}) =>
    ourFailure(port, to, extra.ours);

  it("connection refused", async () => {
    const s = await smtpServer();
    await new Promise<void>((r) => s.server.close(() => r()));
    const { error, failure } = await same(s.port, ["a@example.com"]);
    expect(error).toMatchObject({ code: "ECONNECTION", command: "CONN" });
    expect(failure.message).toMatch(/refused the connection/);
  });

  it("greeting never sent", async () => {
    const s = await startScriptedSmtp("silent");
    cleanups.push(() => s.close());
    const { error, failure } = await same(s.port, ["a@example.com"]);
    expect(error).toMatchObject({ code: "ETIMEDOUT", message: "Greeting never received" });
    expect(failure.message).toMatch(/never greeted/);
  });

  it("421 at connect", async () => {
    const s = await smtpServer({ onConnect: (_s, cb) => cb(smtpError(421, "Too busy, try later")) });
    const { error, failure } = await same(s.port, ["a@example.com"]);
    expect(error).toMatchObject({ code: "EPROTOCOL", reply: { code: 421 }, command: "CONN" });
    expect(failure).toMatchObject({ permanent: false });
    expect(failure.message).toMatch(/refused the connection \(421\)/);
  });

  it("451 then 250 on RCPT", async () => {
    let greylisting = true;
    const s = await smtpServer({
      onRcptTo: (_a, _s, cb) => (greylisting ? cb(smtpError(451, "Greylisted, try again")) : cb()),
    });
    const { error, failure } = await same(s.port, ["a@example.com"]);
    expect(error).toMatchObject({ code: "EENVELOPE", reply: { code: 451 }, command: "RCPT TO" });
    expect(failure).toMatchObject({ permanent: false });
    greylisting = false; // the retry
    const p = pool({ port: s.port });
    await expect(p.send({ from: "me@acme.test", to: ["a@example.com"] }, message(1))).resolves.toMatchObject({
      accepted: ["a@example.com"],
    });
  });

  it("552 on DATA", async () => {
    const s = await smtpServer({
      onData: (stream, _s, cb) => stream.on("end", () => cb(smtpError(552, "Message too big"))).resume(),
    });
    const { error, failure } = await same(s.port, ["a@example.com"]);
    expect(error).toMatchObject({ code: "EMESSAGE", reply: { code: 552 }, command: "DATA" });
    expect(failure).toMatchObject({ permanent: true });
  });

  it("connection dropped after the data, before the reply: an unknown outcome, not a failure", async () => {
    const s = await startScriptedSmtp("drop-after-data");
    cleanups.push(() => s.close());
    const { error, failure } = await ourFailure(s.port, ["a@example.com"]);
    expect(error).toMatchObject({ code: "EUNCONFIRMED", accepted: ["a@example.com"], rejected: [] });
    expect(failure).toMatchObject({ permanent: false });
    expect(failure.message).toMatch(/did not confirm.*dropped.*may have arrived.*same Message-ID/);
  });

  it("a slow 250 within the socket timeout is a success", async () => {
    const s = await startScriptedSmtp({ slowFinalReplyMs: 1200 });
    cleanups.push(() => s.close());
    const p = pool({ port: s.port });
    await expect(p.send({ from: "me@acme.test", to: ["a@example.com"] }, message(1))).resolves.toMatchObject({
      response: "250 2.0.0 Ok: queued slowly",
    });
  });

  it("STARTTLS required but not offered", async () => {
    const s = await smtpServer();
    const { error, failure } = await same(s.port, ["a@example.com"], {
      ours: { security: "starttls" },
    });
    expect(error).toMatchObject({ code: "ETLS", command: "STARTTLS" });
    expect(failure).toMatchObject({ permanent: true });
    expect(failure.message).toMatch(/did not offer the TLS/);
  });
});

describe("smtp-client: dropped connections", () => {
  it("rejects only the messages in flight on a dropped connection; later sends reconnect", async () => {
    // A pipelining server that answers the first two messages, then hangs up in the middle of the third.
    let messagesSeen = 0;
    const sockets = new Set<net.Socket>();
    const server = net.createServer((socket) => {
      sockets.add(socket);
      socket.on("error", () => undefined);
      socket.write("220 flaky ESMTP\r\n");
      let inData = false;
      let buffer = "";
      socket.on("data", (chunk) => {
        buffer += chunk.toString("latin1");
        let out = "";
        let end: number;
        while ((end = buffer.indexOf("\r\n")) >= 0) {
          const line = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (inData) {
            if (line !== ".") continue;
            inData = false;
            if (++messagesSeen === 3) {
              socket.write(out);
              socket.destroy();
              return;
            }
            out += "250 2.0.0 Ok\r\n";
            continue;
          }
          const verb = line.slice(0, 4).toUpperCase();
          if (verb === "EHLO") out += "250-flaky\r\n250 PIPELINING\r\n";
          else if (verb === "DATA") {
            inData = true;
            out += "354 go ahead\r\n";
          } else if (verb === "QUIT") out += "221 bye\r\n";
          else out += "250 Ok\r\n";
        }
        if (out) socket.write(out);
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    cleanups.push(() => {
      for (const s of sockets) s.destroy();
      return new Promise<void>((r) => server.close(() => r()));
    });
    const p = pool({ port: (server.address() as AddressInfo).port });
    const results = await Promise.allSettled(
      Array.from({ length: 4 }, (_, i) =>
        p.send({ from: "me@acme.test", to: ["a@example.com"] }, message(i)),
      ),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.slice(0, 2)).toEqual(["fulfilled", "fulfilled"]);
    // The third's data was written: the server may have taken it before hanging up.
    expect(results[2]).toMatchObject({ status: "rejected", reason: { code: "EUNCONFIRMED" } });
    // The fourth was either in flight (envelope pipelined behind the third's body) and rejected with it, or
    // still queued and delivered over a new connection; never silently lost.
    if (results[3]!.status === "rejected")
      expect(results[3]).toMatchObject({ reason: { code: "ECONNECTION" } });
    await expect(p.send({ from: "me@acme.test", to: ["a@example.com"] }, message(9))).resolves.toMatchObject({
      accepted: ["a@example.com"],
    });
  });
});
