// Reply, forward and signatures end to end on the server: a captured message is answered as the page does it
// (lib/compose/reply.ts), sent through a real SMTP server, and read back with mailparser.
import { randomUUID } from "node:crypto";
import { simpleParser } from "mailparser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as sendMessage } from "@/app/api/messages/route";
import { POST as previewMessage } from "@/app/api/messages/preview/route";
import { PUT as putSignature } from "@/app/api/senders/[id]/signature/route";
import { composeMessageHtml, replyDraftParts } from "@/lib/compose/reply";
import { db } from "@/lib/db/client";
import { startDeliveryWorker, type DeliveryWorker } from "@/lib/delivery/worker";
import { closeAllPools } from "@/lib/mail/transport";
import { captureSandboxMail, getMailboxMessageOrThrow } from "@/lib/sandbox/mailbox";
import { addLoopbackSender, callRoute, signUpUser, type TestUser } from "@/tests/support/api";
import { startTestSmtpServer, type TestSmtpServer } from "@/tests/support/smtp-test-server";

let smtp: TestSmtpServer;
let worker: DeliveryWorker;
let user: TestUser;
let stranger: TestUser;
let senderId: string;

// A message from Alice that is itself a reply: it has References and In-Reply-To of its own.
const ORIGINAL = [
  "From: Alice <alice@example.com>",
  "To: Mia <me@acme.test>, bob@example.com",
  "Cc: carol@example.com",
  "Subject: RE: Re: Contract",
  "Date: Fri, 27 Nov 2026 09:30:00 +0000",
  "Message-ID: <third@example.com>",
  "In-Reply-To: <second@example.com>",
  "References: <first@example.com>\r\n <second@example.com>",
  "MIME-Version: 1.0",
  "Content-Type: text/plain; charset=utf-8",
  "",
  "Can you sign it by Friday?",
  "",
].join("\r\n");

beforeAll(async () => {
  smtp = await startTestSmtpServer({ users: { "me@acme.test": "pw" } });
  worker = startDeliveryWorker({ pollMs: 60_000, maxInFlight: 3 });
  user = await signUpUser("Mia");
  stranger = await signUpUser("Stranger");
  senderId = (await addLoopbackSender(user, smtp.port)).id;
});

afterAll(async () => {
  await worker.stop();
  closeAllPools();
  await smtp.close();
});

async function send(json: Record<string, unknown>, as: TestUser = user) {
  return callRoute(sendMessage, {
    method: "POST",
    path: "/api/messages",
    user: as,
    json: { idempotencyKey: randomUUID(), senderId, ...json },
  });
}

describe("a reply through a real SMTP server", () => {
  it("carries In-Reply-To and References (RFC 5322 §3.6.4), Re: once, the signature above the quote", async () => {
    const mailId = await captureSandboxMail(
      user.id,
      { from: "alice@example.com", to: ["me@acme.test"] },
      Buffer.from(ORIGINAL),
    );
    const { replySource } = await getMailboxMessageOrThrow(user.id, mailId);
    const parts = replyDraftParts(replySource, "all", ["me@acme.test"], "UTC");
    expect(parts.to.map((r) => r.address)).toEqual(["alice@example.com", "bob@example.com"]);
    expect(parts.cc.map((r) => r.address)).toEqual(["carol@example.com"]);

    const signed = await callRoute(putSignature, {
      method: "PUT",
      user,
      params: { id: senderId },
      json: { html: "<p><strong>Mia</strong><br>ACME</p><script>alert(1)</script>" },
    });
    expect(signed.status).toBe(200);
    const { signatureHtml } = (await signed.json()) as { signatureHtml: string };
    expect(signatureHtml).toBe("<p><strong>Mia</strong><br />ACME</p>");

    const before = smtp.received.length;
    const res = await send({
      to: parts.to,
      cc: parts.cc,
      subject: parts.subject,
      html: composeMessageHtml({ body: "<p>Yes, signed.</p>", signatureHtml, quoteHtml: parts.quoteHtml }),
      inReplyTo: parts.inReplyTo,
      references: parts.references,
    });
    expect(res.status).toBe(202);
    const { message } = (await res.json()) as { message: { id: string } };
    await worker.drain();

    const row = await db.message.findUniqueOrThrow({ where: { id: message.id } });
    expect(row).toMatchObject({
      status: "sent",
      inReplyTo: "<third@example.com>",
      references: "<first@example.com> <second@example.com> <third@example.com>",
    });
    const mail = await simpleParser(smtp.received[before]!.raw);
    expect(mail.subject).toBe("Re: Contract");
    expect(mail.inReplyTo).toBe("<third@example.com>");
    expect(mail.references).toEqual(["<first@example.com>", "<second@example.com>", "<third@example.com>"]);
    expect(mail.text).toBe(
      "Yes, signed.\n\n-- \nMia\nACME\n\nOn Fri, Nov 27, 2026, 9:30 AM, Alice <alice@example.com> wrote:\n\n" +
        "> Can you sign it by Friday?",
    );
    const html = String(mail.html);
    expect(html.indexOf("Yes, signed.")).toBeLessThan(html.indexOf('class="sv-signature"'));
    expect(html.indexOf('class="sv-signature"')).toBeLessThan(html.indexOf("<blockquote>"));
  });

  it("a forward names its original, which must be the user's own", async () => {
    const mailId = await captureSandboxMail(
      user.id,
      { from: "alice@example.com", to: ["me@acme.test"] },
      Buffer.from(ORIGINAL),
    );
    const { replySource } = await getMailboxMessageOrThrow(user.id, mailId);
    const parts = replyDraftParts(replySource, "forward", ["me@acme.test"], "UTC");
    const fields = { to: [{ address: "dan@example.com" }], subject: parts.subject, html: parts.quoteHtml };

    const theirs = await send({ ...fields, forwardOf: parts.forwardOf }, stranger);
    expect(theirs.status).toBe(404); // the stranger's request names the owner's sender first

    const strangerSender = (await addLoopbackSender(stranger, smtp.port)).id;
    const notTheirs = await callRoute(sendMessage, {
      method: "POST",
      user: stranger,
      json: { idempotencyKey: randomUUID(), senderId: strangerSender, ...fields, forwardOf: parts.forwardOf },
    });
    expect(notTheirs.status).toBe(400);
    expect(((await notTheirs.json()) as { error: { fields: object } }).error.fields).toHaveProperty(
      "forwardOf",
    );
    expect(await db.message.count({ where: { userId: stranger.id } })).toBe(0);

    const res = await send({ ...fields, forwardOf: parts.forwardOf });
    expect(res.status).toBe(202);
    const { message } = (await res.json()) as { message: { id: string } };
    await worker.drain();
    const row = await db.message.findUniqueOrThrow({ where: { id: message.id } });
    expect(row).toMatchObject({ forwardOf: `mailbox:${mailId}`, inReplyTo: null, references: null });
    expect(row.subject).toBe("Fwd: Contract");
  });

  it("a replay with other threading headers under the same key is a conflict", async () => {
    const idempotencyKey = randomUUID();
    const base = {
      idempotencyKey,
      to: [{ address: "alice@example.com" }],
      subject: "Re: x",
      html: "<p>x</p>",
    };
    expect(
      (await send({ ...base, inReplyTo: "<a@example.com>", references: "<a@example.com>" })).status,
    ).toBe(202);
    expect(
      (await send({ ...base, inReplyTo: "<a@example.com>", references: "<a@example.com>" })).status,
    ).toBe(200);
    expect(
      (await send({ ...base, inReplyTo: "<b@example.com>", references: "<b@example.com>" })).status,
    ).toBe(409);
  });

  it("refuses malformed threading headers with field errors", async () => {
    const res = await send({ to: [{ address: "a@example.com" }], inReplyTo: "no-brackets@example.com" });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { fields: object } }).error.fields).toHaveProperty("inReplyTo");
  });
});

describe("signatures and the preview", () => {
  it("a stranger cannot set someone's signature, and an empty one removes it", async () => {
    const theirs = await callRoute(putSignature, {
      method: "PUT",
      user: stranger,
      params: { id: senderId },
      json: { html: "<p>x</p>" },
    });
    expect(theirs.status).toBe(404);
    const cleared = await callRoute(putSignature, {
      method: "PUT",
      user,
      params: { id: senderId },
      json: { html: "<p></p>" },
    });
    expect(await cleared.json()).toEqual({ signatureHtml: null });
    expect((await db.sender.findUniqueOrThrow({ where: { id: senderId } })).signatureHtml).toBeNull();
    const tooLong = await callRoute(putSignature, {
      method: "PUT",
      user,
      params: { id: senderId },
      json: { html: "x".repeat(20_001) },
    });
    expect(tooLong.status).toBe(400);
  });

  it("the preview is the sanitized HTML and the plain-text part the recipient gets", async () => {
    const res = await callRoute(previewMessage, {
      method: "POST",
      user,
      json: {
        html: composeMessageHtml({
          body: '<p onclick="x()">Hello</p><script>bad()</script>',
          signatureHtml: "<p>Mia</p>",
        }),
      },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      html: '<p>Hello</p><div class="sv-signature"><p>Mia</p></div>',
      text: "Hello\n\n-- \nMia",
    });
    expect((await callRoute(previewMessage, { method: "POST", user: null, json: { html: "" } })).status).toBe(
      401,
    );
    expect((await callRoute(previewMessage, { method: "POST", user, json: {} })).status).toBe(400);
  });
});
