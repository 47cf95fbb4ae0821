import fs from "node:fs";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { GET as getMessage } from "@/app/api/messages/[id]/route";
import { POST as postMessage } from "@/app/api/messages/route";
import { POST as testConnection } from "@/app/api/senders/[id]/test/route";
import { db } from "@/lib/db/client";
import { providerOf } from "@/lib/db/provider";
import { startDeliveryWorker, type DeliveryWorker } from "@/lib/delivery/worker";
import { env } from "@/lib/env";
import { closeAllPools } from "@/lib/mail/transport";
import { addLoopbackSender, callRoute, signUpUser, type TestUser } from "@/tests/support/api";
import {
  postfixUnavailableReason,
  SMALL_SIZE_LIMIT,
  startPostfix,
  type DeliveredMail,
  type PostfixServer,
} from "@/tests/support/postfix";

// The delivery path (API → worker → our SMTP client) against a real Postfix 3.7 with SASL through Dovecot,
// each case on a listener configured for it (tests/support/postfix.ts). Every case checks what arrived in
// the Maildir: copies per Message-ID and recipient, the HTML part byte for byte, no Bcc header.

// Before any app module reads the environment: the admin's CA setting names the private CA that signed the
// certificate on the submission and smtps ports (nothing else trusts it).
const certificates = await vi.hoisted(async () => {
  const { postfixUnavailableReason, makeTestCertificates } = await import("@/tests/support/postfix");
  const { providerOf } = await import("@/lib/db/provider");
  if (postfixUnavailableReason() || providerOf(process.env.DATABASE_URL ?? "") === "postgresql") return null;
  const made = await makeTestCertificates();
  process.env.SMTP_CA_FILE = made.caFile;
  return made;
});

const unavailable =
  postfixUnavailableReason() ??
  (providerOf(env.databaseUrl) === "postgresql"
    ? "it runs on the SQLite project only: the database adds nothing to what a mail server sees"
    : null);
if (unavailable) console.log(`Postfix integration tests skipped: ${unavailable}`);

const MISSING = "missing@acme.test";
const BUSY = "busy@acme.test";
const REFUSALS = {
  [MISSING]: "550 5.1.1 Mailbox does not exist",
  [BUSY]: "450 4.2.1 Mailbox busy, try again later",
};
// Non-ASCII, a line that starts with a dot (dot-stuffing over DATA), a long line: all must arrive unchanged.
const HTML = `<p>Grüße aus <em>Köln</em> — ${"ünïcødé ".repeat(20)}</p>\n<p>.a line that starts with a dot</p>`;

let postfix: PostfixServer;
let worker: DeliveryWorker;
let user: TestUser;

describe.skipIf(unavailable !== null)("delivery through a real Postfix", { timeout: 30_000 }, () => {
  beforeAll(async () => {
    postfix = await startPostfix({ certificates: certificates!, recipientReplies: REFUSALS });
    // A long poll interval: each test drains explicitly.
    worker = startDeliveryWorker({ pollMs: 60_000, concurrency: 3 });
    user = await signUpUser("Pia Postfix");
  }, 60_000);

  afterAll(async () => {
    await worker?.stop();
    closeAllPools();
    await postfix?.stop();
    if (certificates) fs.rmSync(path.dirname(certificates.caFile), { recursive: true, force: true });
  }, 60_000);

  it("STARTTLS on a submission port (587-style), its certificate trusted through the CA setting", async () => {
    const senderId = await sender(postfix.ports.submission, "starttls");
    const [a, b, c] = addresses("starttls");
    const id = await enqueue(senderId, { to: [a], cc: [b], bcc: [c] });
    await worker.drain();
    expect(await stateOf(id)).toMatchObject({ status: "sent" });
    await expectArrivedOnce(id, [a, b, c]);
  });

  it("implicit TLS on an smtps port (465-style)", async () => {
    const senderId = await sender(postfix.ports.smtps, "tls");
    const [a, b] = addresses("smtps");
    const id = await enqueue(senderId, { to: [a], bcc: [b] });
    await worker.drain();
    expect(await stateOf(id)).toMatchObject({ status: "sent" });
    await expectArrivedOnce(id, [a, b]);
  });

  it("a server without CHUNKING gets DATA, dot-stuffed", async () => {
    const senderId = await sender(postfix.ports.noChunking, "none");
    const [a, b] = addresses("nochunking");
    const id = await enqueue(senderId, { to: [a], bcc: [b] });
    await worker.drain();
    expect(await stateOf(id)).toMatchObject({ status: "sent" });
    await expectArrivedOnce(id, [a, b]);
  });

  it("a server without PIPELINING gets one command at a time (Postfix hangs up on unannounced pipelining)", async () => {
    const senderId = await sender(postfix.ports.noPipelining, "none");
    const [a, b, c] = addresses("nopipelining");
    const first = await enqueue(senderId, { to: [a, b] });
    const second = await enqueue(senderId, { to: [c] });
    await worker.drain();
    expect(await stateOf(first)).toMatchObject({ status: "sent" });
    expect(await stateOf(second)).toMatchObject({ status: "sent" });
    await expectArrivedOnce(first, [a, b]);
    await expectArrivedOnce(second, [c]);
    expect(await postfix.log()).not.toMatch(/improper command pipelining/);
  });

  it("a wrong password: one failed login, a clear reason, no retry storm", async () => {
    const logBefore = (await postfix.log()).length;
    const senderId = await sender(postfix.ports.plain, "none", { password: "not-the-password" });
    const [a, b] = addresses("wrongpw");
    const first = await enqueue(senderId, { to: [a] });
    const second = await enqueue(senderId, { to: [b] });
    await worker.drain();
    await worker.drain();

    const failedLogins =
      (await postfix.log()).slice(logBefore).match(/SASL \w+ authentication failed/g) ?? [];
    expect(failedLogins).toHaveLength(1);
    await expect.poll(() => postfix.authLog().match(/Password mismatch/g)?.length).toBe(1);
    for (const id of [first, second]) {
      expect(await stateOf(id)).not.toMatchObject({ status: "sent" });
      await expectArrivedOnce(id, []);
    }
    expect(await viewText(first)).toMatch(/username or password/);
  });

  it("550 for one of two recipients: the other gets it once, the refusal is kept with the server's words", async () => {
    const senderId = await sender(postfix.ports.plain, "none");
    const [a] = addresses("partly");
    const id = await enqueue(senderId, { to: [a, MISSING] });
    await worker.drain();
    await expectArrivedOnce(id, [a]);
    const view = await viewText(id);
    expect(view).toContain(MISSING);
    expect(view).toMatch(/550 5\.1\.1/);
    expect(view).toContain("Mailbox does not exist");
  });

  it("450 for one of two recipients: retried for that one alone once lifted, exactly one copy each", async () => {
    const senderId = await sender(postfix.ports.plain, "none");
    const [a] = addresses("deferred");
    const id = await enqueue(senderId, { to: [a, BUSY] });
    await worker.drain();
    await expectArrivedOnce(id, [a]);
    // Not done: the refusal was temporary, and says so.
    expect(await stateOf(id)).toMatchObject({ status: expect.not.stringMatching(/^(sent|failed)$/) });
    expect(await viewText(id)).toMatch(/450 4\.2\.1/);

    await postfix.setRecipientReplies({ [MISSING]: REFUSALS[MISSING] });
    try {
      await db.message.update({ where: { id }, data: { nextAttemptAt: new Date() } }); // due now
      await worker.drain();
      expect(await stateOf(id)).toMatchObject({ status: "sent" });
      await expectArrivedOnce(id, [a, BUSY]);
    } finally {
      await postfix.setRecipientReplies(REFUSALS);
    }
  });

  it("a message over the server's size limit fails with a 552 that says so", async () => {
    const senderId = await sender(postfix.ports.small, "none");
    const [a] = addresses("toolarge");
    const id = await enqueue(senderId, { to: [a], html: `<p>${"big ".repeat(SMALL_SIZE_LIMIT / 2)}</p>` });
    await worker.drain();
    expect(await stateOf(id)).toMatchObject({ status: "failed" });
    await expectArrivedOnce(id, []);
    const view = await viewText(id);
    expect(view).toMatch(/size|too (large|big)/i);
    expect(view).not.toMatch(/refused the recipients/);
  });

  it("a certificate no trusted CA signed is refused, and named as a certificate problem", async () => {
    const senderId = await sender(postfix.ports.untrusted, "starttls");
    const [a] = addresses("untrusted");
    const id = await enqueue(senderId, { to: [a] });
    await worker.drain();
    expect(await stateOf(id)).not.toMatchObject({ status: "sent" });
    await expectArrivedOnce(id, []);
    const view = await viewText(id);
    expect(view).toMatch(/certificate/i);
    expect(view).not.toMatch(/did not offer/);
  });

  it('security "none" against a server that requires STARTTLS: no message bytes are read as commands', async () => {
    const senderId = await sender(postfix.ports.submission, "none");
    const [a] = addresses("plaintext");
    const id = await enqueue(senderId, { to: [a] });
    await worker.drain();
    expect(await stateOf(id)).not.toMatchObject({ status: "sent" });
    await expectArrivedOnce(id, []);
    expect(await viewText(id)).toMatch(/STARTTLS|TLS|encrypt/);
    const log = await postfix.log();
    expect(log).not.toMatch(/non-SMTP command/);

    // Test connection must not report a sign-in that never happened.
    const res = await callRoute(testConnection, { method: "POST", user, params: { id: senderId } });
    const { result } = (await res.json()) as { result: { ok: boolean; message: string } };
    expect(result.ok).toBe(false);
    expect(result.message).not.toMatch(/signed in successfully/);
  });
});

/** Fresh recipients for one case (the Maildir is shared by all of them). */
function addresses(tag: string): [string, string, string] {
  const run = randomUUID().slice(0, 6);
  return [`${tag}-${run}-a@acme.test`, `${tag}-${run}-b@acme.test`, `${tag}-${run}-c@acme.test`];
}

async function sender(
  port: number,
  security: "tls" | "starttls" | "none",
  overrides: Record<string, unknown> = {},
): Promise<string> {
  const created = await addLoopbackSender(user, port, {
    username: postfix.login.username,
    password: postfix.login.password,
    security,
    ...overrides,
  });
  return created.id;
}

/** POST /api/messages as the user, with Cc and Bcc; returns the stored message's id. */
async function enqueue(
  senderId: string,
  { to, cc = [], bcc = [], html = HTML }: { to: string[]; cc?: string[]; bcc?: string[]; html?: string },
): Promise<string> {
  const asRecipients = (list: string[]) => list.map((address) => ({ address }));
  const res = await callRoute(postMessage, {
    method: "POST",
    path: "/api/messages",
    user,
    json: {
      idempotencyKey: randomUUID(),
      senderId,
      to: asRecipients(to),
      cc: asRecipients(cc),
      bcc: asRecipients(bcc),
      subject: "Through Postfix",
      html,
    },
  });
  expect(res.status).toBe(202);
  return ((await res.json()) as { message: { id: string } }).message.id;
}

/** The message's status and last error: a failed expectation on the status shows the reason too. */
async function stateOf(id: string): Promise<{ status: string; lastError: string | null }> {
  const { status, lastError } = await db.message.findUniqueOrThrow({ where: { id } });
  return { status, lastError };
}

/** The message as its page gets it (GET /api/messages/:id), as text to look for what the user is told. */
async function viewText(id: string): Promise<string> {
  const res = await callRoute(getMessage, { user, params: { id } });
  expect(res.status).toBe(200);
  return JSON.stringify(await res.json());
}

/** Exactly one copy per listed recipient arrived (none for anyone else), each with the HTML as stored, no Bcc. */
async function expectArrivedOnce(id: string, recipients: string[]) {
  const message = await db.message.findUniqueOrThrow({ where: { id } });
  const copies = (await postfix.delivered()).filter((m) => m.parsed.messageId === message.messageIdHeader);
  expect(countByRecipient(copies)).toEqual(Object.fromEntries(recipients.map((r) => [r, 1])));
  for (const copy of copies) {
    expect(Buffer.from(String(copy.parsed.html))).toEqual(Buffer.from(message.html));
    expect(copy.parsed.headers.has("bcc")).toBe(false);
    expect(copy.raw.toString("utf8")).not.toMatch(/^bcc:/im);
  }
}

function countByRecipient(copies: DeliveredMail[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const c of copies) counts[c.deliveredTo] = (counts[c.deliveredTo] ?? 0) + 1;
  return counts;
}
