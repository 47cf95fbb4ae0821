import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { POST as testConnection } from "@/app/api/senders/[id]/test/route";
import { db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { closeAllPools } from "@/lib/mail/transport";
import { callRoute } from "@/tests/support/api";
import { SMALL_SIZE_LIMIT } from "@/tests/support/postfix-config";
import {
  freshAddresses,
  postfixSuiteSkipReason,
  startPostfixDelivery,
  stateOf,
  type PostfixDelivery,
} from "@/tests/support/postfix-delivery";

// The delivery path (API → worker → our SMTP client) against a real Postfix 3.7 with SASL through Dovecot,
// each case on a listener configured for it (tests/support/postfix.ts). Every case checks what arrived in
// the Maildir: copies per Message-ID and recipient, the HTML part byte for byte, no Bcc header.

// Before any app module reads the environment: the admin's CA setting names the private CA that signed the
// certificate on the submission and smtps ports (nothing else trusts it; postfix-no-ca.test.ts runs without).
const certificates = await vi.hoisted(async () => {
  // Only modules that do not read the environment may load here (postfix-delivery loads the app's env).
  const { postfixUnavailableReason } = await import("@/tests/support/postfix");
  const { providerOf } = await import("@/lib/db/provider");
  if (postfixUnavailableReason() || providerOf(process.env.DATABASE_URL ?? "") === "postgresql") return null;
  const { makeTestCertificates } = await import("@/tests/support/test-certificates");
  const made = await makeTestCertificates();
  process.env.SMTP_CA_FILE = made.caFile;
  return made;
});

const skipReason = postfixSuiteSkipReason(env.databaseUrl);
if (skipReason) console.log(`Postfix integration tests skipped: ${skipReason}`);

const MISSING = "missing@acme.test";
const NOBODY = "nobody@acme.test";
const BUSY = "busy@acme.test";
const REFUSALS = {
  [MISSING]: "550 5.1.1 Mailbox does not exist",
  [NOBODY]: "550 5.1.1 Mailbox does not exist",
  [BUSY]: "450 4.2.1 Mailbox busy, try again later",
};

let t: PostfixDelivery;

describe.skipIf(skipReason !== null)("delivery through a real Postfix", { timeout: 30_000 }, () => {
  beforeAll(async () => {
    t = await startPostfixDelivery({ certificates: certificates!, recipientReplies: REFUSALS });
  }, 60_000);

  afterAll(async () => {
    await t?.stop();
    if (certificates) fs.rmSync(path.dirname(certificates.caFile), { recursive: true, force: true });
  }, 60_000);

  it("STARTTLS on a submission port (587-style), its certificate trusted through the CA setting", async () => {
    const senderId = await t.addSender(t.postfix.ports.submission, "starttls");
    const [a, b, c] = freshAddresses("starttls");
    const id = await t.enqueue(senderId, { to: [a], cc: [b], bcc: [c] });
    await t.worker.drain();
    expect(await stateOf(id)).toMatchObject({ status: "sent" });
    await t.expectArrivedOnce(id, [a, b, c]);
  });

  it("implicit TLS on an smtps port (465-style)", async () => {
    const senderId = await t.addSender(t.postfix.ports.smtps, "tls");
    const [a, b] = freshAddresses("smtps");
    const id = await t.enqueue(senderId, { to: [a], bcc: [b] });
    await t.worker.drain();
    expect(await stateOf(id)).toMatchObject({ status: "sent" });
    await t.expectArrivedOnce(id, [a, b]);
  });

  it("a server without CHUNKING gets DATA, dot-stuffed", async () => {
    const senderId = await t.addSender(t.postfix.ports.noChunking, "none");
    const [a, b] = freshAddresses("nochunking");
    const id = await t.enqueue(senderId, { to: [a], bcc: [b] });
    await t.worker.drain();
    expect(await stateOf(id)).toMatchObject({ status: "sent" });
    await t.expectArrivedOnce(id, [a, b]);
  });

  it("a server without PIPELINING gets one command at a time (Postfix hangs up on unannounced pipelining)", async () => {
    const senderId = await t.addSender(t.postfix.ports.noPipelining, "none");
    const [a, b, c] = freshAddresses("nopipelining");
    const first = await t.enqueue(senderId, { to: [a, b] });
    const second = await t.enqueue(senderId, { to: [c] });
    await t.worker.drain();
    expect(await stateOf(first)).toMatchObject({ status: "sent" });
    expect(await stateOf(second)).toMatchObject({ status: "sent" });
    await t.expectArrivedOnce(first, [a, b]);
    await t.expectArrivedOnce(second, [c]);
    expect(await t.postfix.log()).not.toMatch(/improper command pipelining/);
  });

  it("550 for one of two recipients: the other gets it once, the refusal is kept with the server's words", async () => {
    const senderId = await t.addSender(t.postfix.ports.plain, "none");
    const [a] = freshAddresses("partly");
    const id = await t.enqueue(senderId, { to: [a, MISSING] });
    await t.worker.drain();
    await t.expectArrivedOnce(id, [a]);
    const view = await t.viewText(id);
    expect(view).toContain(MISSING);
    expect(view).toMatch(/550 5\.1\.1/);
    expect(view).toContain("Mailbox does not exist");
  });

  it("every recipient refused: no message data goes out, and the failure keeps the server's words", async () => {
    const senderId = await t.addSender(t.postfix.ports.plain, "none");
    const id = await t.enqueue(senderId, { to: [NOBODY] });
    await t.worker.drain();
    expect(await stateOf(id)).toMatchObject({ status: "failed" });
    await t.expectArrivedOnce(id, []);
    expect(await t.viewText(id)).toMatch(/550 5\.1\.1/);
    // Postfix sums a session up when it ends: the commands it got, DATA and BDAT among them if any were sent.
    closeAllPools();
    let summary = "";
    await expect
      .poll(async () => (summary = sessionSummary(await t.postfix.log(), NOBODY)), { timeout: 10_000 })
      .toMatch(/disconnect from/);
    expect(summary).not.toMatch(/\b(data|bdat)=/);
  });

  it("450 for one of two recipients: retried for that one alone once lifted, exactly one copy each", async () => {
    const senderId = await t.addSender(t.postfix.ports.plain, "none");
    const [a] = freshAddresses("deferred");
    const id = await t.enqueue(senderId, { to: [a, BUSY] });
    await t.worker.drain();
    await t.expectArrivedOnce(id, [a]);
    // Not done: the refusal was temporary, and says so.
    expect(await stateOf(id)).toMatchObject({ status: expect.not.stringMatching(/^(sent|failed)$/) });
    expect(await t.viewText(id)).toMatch(/450 4\.2\.1/);

    await t.postfix.setRecipientReplies({ [MISSING]: REFUSALS[MISSING] });
    // An smtpd process keeps the maps it started with: the retry comes on a new session, as it would minutes
    // later in real life (the pool lets an idle session go after a minute).
    await closeAllPools();
    try {
      await db.message.update({ where: { id }, data: { nextAttemptAt: new Date() } }); // due now
      await t.worker.drain();
      expect(await stateOf(id)).toMatchObject({ status: "sent" });
      await t.expectArrivedOnce(id, [a, BUSY]);
    } finally {
      await t.postfix.setRecipientReplies(REFUSALS);
    }
  });

  it("a message over the server's size limit fails with a 552 that says so", async () => {
    const senderId = await t.addSender(t.postfix.ports.small, "none");
    const [a] = freshAddresses("toolarge");
    const id = await t.enqueue(senderId, { to: [a], html: `<p>${"big ".repeat(SMALL_SIZE_LIMIT / 2)}</p>` });
    await t.worker.drain();
    expect(await stateOf(id)).toMatchObject({ status: "failed" });
    await t.expectArrivedOnce(id, []);
    const view = await t.viewText(id);
    expect(view).toMatch(/size|too (large|big)/i);
    expect(view).not.toMatch(/refused the recipients/);
  });

  it("a certificate no trusted CA signed is refused, and named as a certificate problem", async () => {
    const senderId = await t.addSender(t.postfix.ports.untrusted, "starttls");
    const [a] = freshAddresses("untrusted");
    const id = await t.enqueue(senderId, { to: [a] });
    await t.worker.drain();
    expect(await stateOf(id)).not.toMatchObject({ status: "sent" });
    await t.expectArrivedOnce(id, []);
    const view = await t.viewText(id);
    expect(view).toMatch(/certificate/i);
    expect(view).not.toMatch(/did not offer/);
  });

  it('security "none" against a server that requires STARTTLS: no message bytes are read as commands', async () => {
    const senderId = await t.addSender(t.postfix.ports.submission, "none");
    const [a] = freshAddresses("plaintext");
    const id = await t.enqueue(senderId, { to: [a] });
    await t.worker.drain();
    expect(await stateOf(id)).not.toMatchObject({ status: "sent" });
    await t.expectArrivedOnce(id, []);
    expect(await t.viewText(id)).toMatch(/STARTTLS|TLS|encrypt/);
    const log = await t.postfix.log();
    expect(log).not.toMatch(/non-SMTP command/);

    // Test connection must not report a sign-in that never happened.
    const res = await callRoute(testConnection, { method: "POST", user: t.user, params: { id: senderId } });
    const { result } = (await res.json()) as { result: { ok: boolean; message: string } };
    expect(result.ok).toBe(false);
    expect(result.message).not.toMatch(/signed in successfully/);
  });
});

/** Postfix's closing line ("disconnect from … ehlo=1 mail=1 rcpt=0/1 …") of the last session that refused `rcpt`. */
function sessionSummary(log: string, rcpt: string): string {
  const lines = log.split("\n");
  const refusal = lines.findLastIndex((l) => l.includes("reject: RCPT") && l.includes(`to=<${rcpt}>`));
  const pid = refusal >= 0 ? /smtpd\[(\d+)\]/.exec(lines[refusal]!)?.[1] : undefined;
  if (!pid) return "";
  return lines.slice(refusal).find((l) => l.includes(`smtpd[${pid}]: disconnect from`)) ?? "";
}
