import { afterEach, describe, expect, it } from "vitest";
import { buildMimeMessage } from "@/lib/mail/mime-build";
import { createSmtpPool, type SmtpClientOptions, type SmtpPool } from "@/lib/mail/smtp-client";
import { describeSmtpError } from "@/lib/mail/smtp-errors";
import { startChunkingSmtp, type ChunkingServerOptions } from "@/tests/support/chunking-smtp";

// A server that offers CHUNKING gets whole transactions pipelined: MAIL, RCPT and BDAT with the message, many
// to a write. These tests hold the client to what that must not change: each message arrives once and exactly
// as built, and each transaction's outcome stays its own even when others in the same write fail.

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function server(options: ChunkingServerOptions = {}) {
  const s = await startChunkingSmtp(options);
  cleanups.push(s.close);
  return s;
}

function pool(port: number, maxConnections = 1, extra: Partial<SmtpClientOptions> = {}): SmtpPool {
  const p = createSmtpPool(
    { host: "127.0.0.1", port, security: "none", timeouts: { greeting: 1000, command: 6000 }, ...extra },
    { maxConnections },
  );
  cleanups.push(() => p.close());
  return p;
}

function message(i: number, extraHeader = "") {
  const raw = buildMimeMessage({
    messageId: `c${i}@securevault.test`,
    date: new Date("2026-01-02T03:04:05Z"),
    from: { address: "me@acme.test" },
    to: [{ address: "a@example.com" }],
    subject: `Chunk ${i}`,
    html: `<p>Hello ${i}</p>`,
    text: `Hello ${i}\n.a line starting with a dot\n`,
  }).toString("utf8");
  return extraHeader ? `${extraHeader}\r\n${raw}` : raw;
}

describe("smtp-client with CHUNKING (BDAT)", () => {
  it("pipelines whole transactions: 300 messages over 3 connections arrive once each, byte for byte", async () => {
    const s = await server();
    const p = pool(s.port, 3);
    const sent = Array.from({ length: 300 }, (_, i) => message(i));
    const results = await Promise.all(
      sent.map((raw, i) => p.send({ from: "me@acme.test", to: [`r${i}@example.com`] }, raw)),
    );
    expect(results.every((r) => r.response.includes("queued as CHUNK"))).toBe(true);
    expect(s.received).toHaveLength(300);
    const byRecipient = new Map(s.received.map((m) => [m.to[0]!, m.body.toString("utf8")]));
    // BDAT carries the message as it is: no dot-stuffing, no terminator.
    for (const [i, raw] of sent.entries()) expect(byRecipient.get(`r${i}@example.com`)).toBe(raw);
    expect(s.verbs.get("BDAT")).toBe(300);
    expect(s.verbs.get("DATA")).toBeUndefined();
    // One round trip a message: each body goes in the same write as the next message's envelope (and a
    // body never before its envelope was accepted, so there cannot be fewer reads than messages).
    expect(s.reads()).toBeLessThan(300 + 3 * 10);
  });

  it("sends bare line feeds as CRLF, and an empty message as zero bytes", async () => {
    const s = await server();
    const p = pool(s.port);
    await p.send(
      { from: "me@acme.test", to: ["a@example.com"] },
      "Subject: lf\nMessage-ID: <lf@x>\n\nbody\n",
    );
    await p.send({ from: "me@acme.test", to: ["b@example.com"] }, "");
    expect(s.received.map((m) => m.body.toString("latin1"))).toEqual([
      "Subject: lf\r\nMessage-ID: <lf@x>\r\n\r\nbody\r\n",
      "",
    ]);
  });

  it("keeps each transaction's outcome its own when others in the same write fail", async () => {
    const s = await server();
    const p = pool(s.port);
    const [partly, nobody, refused, fine] = await Promise.allSettled([
      p.send({ from: "me@acme.test", to: ["ok@example.com", "unknown1@example.com"] }, message(1)),
      p.send({ from: "me@acme.test", to: ["unknown2@example.com"] }, message(2)),
      p.send({ from: "me@acme.test", to: ["c@example.com"] }, message(3, "X-Reject: yes")),
      p.send({ from: "me@acme.test", to: ["d@example.com"] }, message(4)),
    ]);
    expect(partly).toMatchObject({
      status: "fulfilled",
      value: { accepted: ["ok@example.com"], rejected: ["unknown1@example.com"] },
    });
    expect(nobody.status).toBe("rejected");
    const noRecipient = describeSmtpError((nobody as PromiseRejectedResult).reason);
    expect(noRecipient).toMatchObject({ permanent: true });
    expect(noRecipient.message).toContain("550 5.1.1 User unknown");
    expect(refused.status).toBe("rejected");
    const contentRefused = describeSmtpError((refused as PromiseRejectedResult).reason);
    expect(contentRefused).toMatchObject({ permanent: true });
    expect(contentRefused.message).toContain("554 5.7.1 Message refused");
    // The server keeps a failed transaction until RSET: the message after two failures still went through.
    expect(fine).toMatchObject({ status: "fulfilled", value: { accepted: ["d@example.com"] } });
    expect(s.received.map((m) => m.to)).toEqual([["ok@example.com"], ["d@example.com"]]);
  });

  it("fails only the transactions on a dropped connection; later sends reconnect", async () => {
    const s = await server({ dropAtMessage: 3 });
    const p = pool(s.port);
    const results = await Promise.allSettled(
      Array.from({ length: 5 }, (_, i) =>
        p.send({ from: "me@acme.test", to: [`r${i}@example.com`] }, message(i)),
      ),
    );
    expect(results.slice(0, 2).map((r) => r.status)).toEqual(["fulfilled", "fulfilled"]);
    // The third's data was on the wire when the server hung up: it may have arrived, so its outcome is unknown.
    expect(results[2]).toMatchObject({
      status: "rejected",
      reason: { code: "EUNCONFIRMED", accepted: ["r2@example.com"] },
    });
    expect(describeSmtpError((results[2] as PromiseRejectedResult).reason).permanent).toBe(false);
    // The fourth's envelope went with the third's data; nothing of it can have arrived. The fifth waited.
    expect(results[3]).toMatchObject({ status: "rejected", reason: { code: "ECONNECTION" } });
    expect(
      results[4]!.status === "fulfilled" ||
        (results[4] as PromiseRejectedResult).reason.code === "ECONNECTION",
    ).toBe(true);
    await expect(
      p.send({ from: "me@acme.test", to: ["again@example.com"] }, message(9)),
    ).resolves.toMatchObject({
      accepted: ["again@example.com"],
    });
  });

  it("talks DATA, dot-stuffed, when told not to chunk", async () => {
    const s = await server();
    const p = pool(s.port, 1, { disableChunking: true });
    const raw = message(7);
    await p.send({ from: "me@acme.test", to: ["a@example.com"] }, raw);
    expect(s.verbs.get("DATA")).toBe(1);
    expect(s.verbs.get("BDAT")).toBeUndefined();
    expect(s.received[0]!.body.toString("utf8")).toBe(raw);
  });
});
