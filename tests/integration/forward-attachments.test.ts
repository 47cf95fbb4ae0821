// Forward keeps the original's files: a sent message's go again by id; a Mailbox message's are copied into the
// user's attachments (POST /api/mailbox/:id/attachments) once, however often. Both through a real SMTP server,
// read back with mailparser and compared byte for byte (SHA-256).
import { createHash, randomUUID } from "node:crypto";
import { simpleParser } from "mailparser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as uploadRoute } from "@/app/api/attachments/route";
import { POST as copyRoute } from "@/app/api/mailbox/[id]/attachments/route";
import { POST as sendRoute } from "@/app/api/messages/route";
import { composeMessageHtml, replyDraftParts, type ReplySource } from "@/lib/compose/reply";
import { db } from "@/lib/db/client";
import { startDeliveryWorker, type DeliveryWorker } from "@/lib/delivery/worker";
import { env } from "@/lib/env";
import { closeAllPools } from "@/lib/mail/transport";
import { getMessageOrThrow } from "@/lib/messages/queries";
import { captureSandboxMail, getMailboxMessageOrThrow } from "@/lib/sandbox/mailbox";
import { addLoopbackSender, callRoute, signUpUser, type TestUser } from "@/tests/support/api";
import { startTestSmtpServer, type TestSmtpServer } from "@/tests/support/smtp-test-server";

let smtp: TestSmtpServer;
let worker: DeliveryWorker;
let user: TestUser;
let stranger: TestUser;
let senderId: string;

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

const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");
// Bytes a text conversion would change: every byte value, CR and LF among them.
const pdf = Buffer.concat([
  Buffer.from("%PDF-1.7\r\n"),
  Buffer.from(Array.from({ length: 4096 }, (_, i) => i % 256)),
]);
const png = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
  "base64",
);

/** A message from Alice with a PDF attached and an inline image its HTML shows by cid:. */
function originalWithFiles(): Buffer {
  const b64 = (data: Buffer) => data.toString("base64").replace(/.{76}/g, "$&\r\n");
  return Buffer.from(
    [
      "From: Alice <alice@example.com>",
      "To: me@acme.test",
      "Subject: Contract",
      "Date: Fri, 27 Nov 2026 09:30:00 +0000",
      "Message-ID: <contract@example.com>",
      "MIME-Version: 1.0",
      'Content-Type: multipart/mixed; boundary="outer"',
      "",
      "--outer",
      'Content-Type: multipart/related; boundary="rel"',
      "",
      "--rel",
      "Content-Type: text/html; charset=utf-8",
      "",
      '<p>Here it is.</p><img src="cid:logo@example.com" alt="logo">',
      "--rel",
      "Content-Type: image/png",
      "Content-Transfer-Encoding: base64",
      "Content-ID: <logo@example.com>",
      'Content-Disposition: inline; filename="logo.png"',
      "",
      b64(png),
      "--rel--",
      "--outer",
      'Content-Type: application/pdf; name="contract.pdf"',
      "Content-Transfer-Encoding: base64",
      'Content-Disposition: attachment; filename="contract.pdf"',
      "",
      b64(pdf),
      "--outer--",
      "",
    ].join("\r\n"),
  );
}

async function send(json: Record<string, unknown>) {
  const res = await callRoute(sendRoute, {
    method: "POST",
    user,
    json: { idempotencyKey: randomUUID(), senderId, to: [{ address: "bob@example.org" }], ...json },
  });
  expect(res.status).toBe(202);
  const { message } = (await res.json()) as { message: { id: string } };
  await worker.drain();
  return message.id;
}

/** Sends the forward the page builds from `source`, and returns the message as the SMTP server received it. */
async function sendForward(source: ReplySource, attachmentIds: string[]) {
  const parts = replyDraftParts(source, "forward", ["me@acme.test"], "UTC");
  const before = smtp.received.length;
  await send({
    subject: parts.subject,
    html: composeMessageHtml({ body: "<p>FYI</p>", quoteHtml: parts.quoteHtml }),
    forwardOf: parts.forwardOf,
    attachmentIds,
  });
  expect(smtp.received.length).toBe(before + 1);
  return simpleParser(smtp.received[before]!.raw);
}

const copy = (id: string, as: TestUser = user) =>
  callRoute(copyRoute, { method: "POST", user: as, params: { id } });

describe("Forward with the original's files", () => {
  it("forwards a sent message's file by its id: the same bytes go out again", async () => {
    const req = new Request(`http://localhost/api/attachments?name=report.pdf&key=${randomUUID()}`, {
      method: "POST",
      headers: { cookie: user.cookie, "content-type": "application/pdf" },
      body: new Uint8Array(pdf),
    });
    const uploaded = await uploadRoute(req, { params: Promise.resolve({}) });
    expect(uploaded.status).toBe(201);
    const { attachment } = (await uploaded.json()) as { attachment: { id: string } };
    const sentId = await send({
      subject: "Report",
      html: "<p>The report</p>",
      attachmentIds: [attachment.id],
    });

    // What the message page gives Reply actions (app/(app)/messages/[id]/page.tsx).
    const detail = await getMessageOrThrow(user.id, sentId);
    const source: ReplySource = {
      kind: "sent",
      id: detail.id,
      messageId: detail.messageId,
      references: null,
      inReplyTo: null,
      subject: detail.subject,
      date: detail.createdAt,
      from: { address: detail.from.address },
      replyTo: [],
      to: detail.to,
      cc: detail.cc,
      html: detail.html,
      text: "The report",
      attachmentCount: detail.attachments.length,
      attachmentIds: detail.attachments.map((a) => a.id),
    };
    const parts = replyDraftParts(source, "forward", [], "UTC");
    expect(parts.attachmentIds).toEqual([attachment.id]);

    const mail = await sendForward(source, parts.attachmentIds!);
    expect(mail.subject).toBe("Fwd: Report");
    expect(mail.attachments.map((a) => [a.filename, sha(a.content)])).toEqual([["report.pdf", sha(pdf)]]);
  });

  it("copies a Mailbox message's files once, and the forward carries the same bytes and its inline image", async () => {
    const mailId = await captureSandboxMail(
      user.id,
      { from: "alice@example.com", to: ["me@acme.test"] },
      originalWithFiles(),
    );
    const first = await copy(mailId);
    expect(first.status).toBe(200);
    const { attachments } = (await first.json()) as {
      attachments: { id: string; filename: string; sha256: string; contentId: string | null }[];
    };
    expect(attachments.map((a) => [a.filename, a.sha256, a.contentId])).toEqual([
      ["logo.png", sha(png), "logo@example.com"],
      ["contract.pdf", sha(pdf), null],
    ]);
    // Forwarding it again stores nothing twice.
    const again = (await (await copy(mailId)).json()) as { attachments: { id: string }[] };
    expect(again.attachments.map((a) => a.id)).toEqual(attachments.map((a) => a.id));
    expect(
      await db.attachment.count({
        where: { userId: user.id, uploadKey: { startsWith: `mailbox:${mailId}:` } },
      }),
    ).toBe(2);

    const { replySource } = await getMailboxMessageOrThrow(user.id, mailId);
    expect(replySource.html).toContain('src="cid:logo@example.com"');
    const mail = await sendForward(
      replySource,
      attachments.map((a) => a.id),
    );
    expect(mail.subject).toBe("Fwd: Contract");
    const files = Object.fromEntries(mail.attachments.map((a) => [a.filename, a]));
    expect(sha(files["contract.pdf"]!.content)).toBe(sha(pdf));
    expect(sha(files["logo.png"]!.content)).toBe(sha(png));
    // The forwarded HTML still shows the image: the part it names by cid: is in the message.
    expect(files["logo.png"]!.cid).toBe("logo@example.com");
    expect(String(mail.html)).toContain("Here it is.");
  });

  it("answers 404 for a message that is not in the caller's Mailbox, and stores nothing", async () => {
    const mailId = await captureSandboxMail(
      user.id,
      { from: "alice@example.com", to: ["me@acme.test"] },
      originalWithFiles(),
    );
    const before = await db.attachment.count();
    expect((await copy(mailId, stranger)).status).toBe(404);
    expect((await copy("no-such-message")).status).toBe(404);
    expect(await db.attachment.count()).toBe(before);
  });

  it("answers a message without files with no attachments", async () => {
    const mailId = await captureSandboxMail(
      user.id,
      { from: "alice@example.com", to: ["me@acme.test"] },
      Buffer.from("From: alice@example.com\r\nTo: me@acme.test\r\nSubject: Hi\r\n\r\nHello\r\n"),
    );
    const res = await copy(mailId);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ attachments: [] });
  });

  it("refuses with 413 a file over the attachment size limit, and stores none of the message's files", async () => {
    const limitMb = env.ATTACHMENT_MAX_MB;
    const mailId = await captureSandboxMail(
      user.id,
      { from: "alice@example.com", to: ["me@acme.test"] },
      originalWithFiles(),
    );
    // The limit is read at each request; the 4 KB file is made to pass it by lowering the limit for this test.
    env.ATTACHMENT_MAX_MB = 0.002;
    try {
      const res = await copy(mailId);
      expect(res.status).toBe(413);
      const body = (await res.json()) as { error: { message: string; fields: Record<string, string[]> } };
      expect(body.error.message).toContain("contract.pdf");
      expect(Object.keys(body.error.fields)).toEqual(["attachments"]);
    } finally {
      env.ATTACHMENT_MAX_MB = limitMb;
    }
    expect(await db.attachment.count({ where: { uploadKey: { startsWith: `mailbox:${mailId}:` } } })).toBe(0);
  });
});
