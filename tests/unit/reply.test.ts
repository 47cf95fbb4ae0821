import { simpleParser } from "mailparser";
import { describe, expect, it } from "vitest";
import {
  composeMessageHtml,
  forwardSubject,
  MAX_REFERENCES,
  parseMessageIds,
  quotePlainText,
  replyDraftParts,
  replyRecipients,
  replySubject,
  splitComposedHtml,
  threadingHeaders,
  type ReplySource,
} from "@/lib/compose/reply";
import { buildMimeMessage } from "@/lib/mail/mime-build";
import { htmlToPlainText } from "@/lib/mail/plain-text";
import { sanitizeEmailHtml } from "@/lib/mail/sanitize";
import { sendMessageBody } from "@/lib/validation/messages";

describe("replySubject and forwardSubject", () => {
  it.each([
    ["Contract", "Re: Contract", "Fwd: Contract"],
    ["Re: Contract", "Re: Contract", "Fwd: Contract"],
    ["RE: re: Re:Contract", "Re: Contract", "Fwd: Contract"],
    ["Re[2]: Contract", "Re: Contract", "Fwd: Contract"],
    ["AW: SV: Contract", "Re: Contract", "Fwd: Contract"],
    ["Fwd: Contract", "Re: Fwd: Contract", "Fwd: Contract"],
    ["FW: Fwd: Re: Contract", "Re: FW: Fwd: Re: Contract", "Fwd: Contract"],
    ["  Re :  Contract ", "Re: Contract", "Fwd: Contract"],
    ["", "Re: ", "Fwd: "],
    ["Regarding the plan", "Re: Regarding the plan", "Fwd: Regarding the plan"],
  ])("%j", (subject, reply, forward) => {
    expect(replySubject(subject)).toBe(reply);
    expect(forwardSubject(subject)).toBe(forward);
  });
});

describe("threadingHeaders (RFC 5322 §3.6.4)", () => {
  it.each([
    [
      "the parent's References, then its Message-ID",
      { messageId: "<c@x>", references: "<a@x> <b@x>", inReplyTo: "<b@x>" },
      { inReplyTo: "<c@x>", references: "<a@x> <b@x> <c@x>" },
    ],
    [
      "no References: the parent's In-Reply-To, then its Message-ID",
      { messageId: "<c@x>", references: null, inReplyTo: "<b@x>" },
      { inReplyTo: "<c@x>", references: "<b@x> <c@x>" },
    ],
    [
      "an In-Reply-To naming several messages is not used",
      { messageId: "<c@x>", references: null, inReplyTo: "<a@x> <b@x>" },
      { inReplyTo: "<c@x>", references: "<c@x>" },
    ],
    [
      "neither: the parent's Message-ID alone",
      { messageId: "<c@x>", references: null, inReplyTo: null },
      { inReplyTo: "<c@x>", references: "<c@x>" },
    ],
    [
      "folded and commented References are read as tokens",
      { messageId: "<c@x>", references: "<a@x>\r\n (first) <b@x>", inReplyTo: null },
      { inReplyTo: "<c@x>", references: "<a@x> <b@x> <c@x>" },
    ],
  ])("%s", (_name, parent, expected) => {
    expect(threadingHeaders(parent)).toEqual(expected);
  });

  it("gives nothing for a parent without a Message-ID", () => {
    expect(threadingHeaders({ messageId: null, references: "<a@x>", inReplyTo: "<a@x>" })).toBeNull();
  });

  it("keeps the thread's first and latest identifiers of a long chain", () => {
    const chain = Array.from({ length: 40 }, (_, i) => `<m${i}@x>`);
    const headers = threadingHeaders({
      messageId: "<last@x>",
      references: chain.join(" "),
      inReplyTo: null,
    })!;
    const ids = parseMessageIds(headers.references);
    expect(ids).toHaveLength(MAX_REFERENCES);
    expect(ids[0]).toBe("<m0@x>");
    expect(ids.at(-1)).toBe("<last@x>");
    expect(ids.at(-2)).toBe("<m39@x>");
  });
});

const alice = { address: "alice@example.com", name: "Alice" };
const me = { address: "me@example.com", name: "Me" };
const bob = { address: "bob@example.com" };
const carol = { address: "carol@example.com" };

describe("replyRecipients", () => {
  const received = { from: alice, replyTo: [], to: [me, bob], cc: [carol, { address: "ME@example.com" }] };
  it.each([
    ["reply goes to the sender", received, "reply", { to: [alice], cc: [] }],
    [
      "reply all: the sender, the others in To and Cc, never me",
      received,
      "all",
      { to: [alice, bob], cc: [carol] },
    ],
    [
      "Reply-To wins over From",
      { ...received, replyTo: [{ address: "list@example.com" }] },
      "reply",
      { to: [{ address: "list@example.com" }], cc: [] },
    ],
    [
      "my own message: reply goes to whom I sent it",
      { from: me, replyTo: [], to: [alice, bob], cc: [carol] },
      "reply",
      { to: [alice, bob], cc: [] },
    ],
    [
      "my own message: reply all adds its Cc",
      { from: me, replyTo: [], to: [alice], cc: [carol] },
      "all",
      { to: [alice], cc: [carol] },
    ],
    [
      "a message to myself only is answered to myself",
      { from: me, replyTo: [], to: [me], cc: [] },
      "all",
      { to: [me], cc: [] },
    ],
    [
      "an address in both To and Cc appears once",
      { from: alice, replyTo: [], to: [bob], cc: [bob, alice] },
      "all",
      { to: [alice, bob], cc: [] },
    ],
  ] as const)("%s", (_name, source, mode, expected) => {
    expect(replyRecipients(source, mode, ["me@example.com", "other-sender@example.com"])).toEqual(expected);
  });
});

const source: ReplySource = {
  kind: "mailbox",
  id: "m1",
  messageId: "<parent@example.com>",
  references: "<root@example.com>",
  inReplyTo: "<root@example.com>",
  subject: "Re: Contract",
  date: "2026-11-27T09:30:00.000Z",
  from: alice,
  replyTo: [],
  to: [me],
  cc: [],
  html: "<p>Can you sign it by Friday?</p>",
  text: "Can you sign it by Friday?\n\n> older line",
  attachmentCount: 1,
};

describe("replyDraftParts", () => {
  it("a reply quotes the original in a blockquote under 'On …, … wrote:'", () => {
    const parts = replyDraftParts(source, "reply", ["me@example.com"], "UTC");
    expect(parts).toMatchObject({
      subject: "Re: Contract",
      to: [alice],
      cc: [],
      inReplyTo: "<parent@example.com>",
      references: "<root@example.com> <parent@example.com>",
      quotedText: source.text,
    });
    expect(parts.forwardOf).toBeUndefined();
    expect(parts.quoteHtml).toBe(
      '<div class="sv-quote"><p>On Fri, Nov 27, 2026, 9:30 AM, Alice &#60;alice@example.com&#62; wrote:</p>' +
        "<blockquote><p>Can you sign it by Friday?</p></blockquote></div>",
    );
  });

  it("a forward names its original and keeps no threading headers or recipients", () => {
    const parts = replyDraftParts(source, "forward", ["me@example.com"], "UTC");
    expect(parts).toMatchObject({ subject: "Fwd: Contract", to: [], cc: [], forwardOf: "mailbox:m1" });
    expect(parts.inReplyTo).toBeUndefined();
    expect(parts.quoteHtml).toContain(
      "---------- Forwarded message ---------<br>From: Alice &#60;alice@example.com&#62;",
    );
    expect(parts.quoteHtml).toContain("Subject: Re: Contract<br>To: Me &#60;me@example.com&#62;");
    expect(parts.quoteHtml).not.toContain("<blockquote>");
    // A Mailbox message's files are copied on the server first; only a sent message's ids come with the source.
    expect(parts.attachmentIds).toBeUndefined();
  });

  it.each([
    ["a sent message's files go by their ids, in order", ["a1", "a2"], ["a1", "a2"]],
    ["a sent message without files gives none", [], undefined],
  ])("%s", (_label, ids, expected) => {
    const sent = { ...source, kind: "sent" as const, id: "s1", attachmentIds: ids };
    expect(replyDraftParts(sent, "forward", [], "UTC").attachmentIds).toEqual(expected);
    // Replies never carry the original's files.
    expect(replyDraftParts(sent, "reply", [], "UTC").attachmentIds).toBeUndefined();
  });

  it("a plain-text original is escaped, with its line breaks", () => {
    const parts = replyDraftParts({ ...source, html: null, text: "a < b\nnext\n\npara" }, "reply", [], "UTC");
    expect(parts.quoteHtml).toContain("<blockquote><p>a &#60; b<br>next</p><p>para</p></blockquote>");
  });
});

describe("quotePlainText", () => {
  it("quotes each line, nesting quoted lines", () => {
    expect(quotePlainText("Hi\n\n> earlier\nbye\n")).toBe("> Hi\n>\n>> earlier\n> bye");
  });
});

describe("the sent message: signature above the quote, in HTML and text", () => {
  const html = composeMessageHtml({
    body: "<p>Signed, attached.</p>",
    signatureHtml: "<p><strong>Ann Example</strong><br>ACME Ltd</p>",
    quoteHtml: replyDraftParts(source, "reply", [], "UTC").quoteHtml,
  });
  const sanitized = sanitizeEmailHtml(html);

  it("keeps the order body, signature, quote through the sanitizer", () => {
    const signatureAt = sanitized.indexOf('<div class="sv-signature">');
    const quoteAt = sanitized.indexOf('<div class="sv-quote">');
    expect(sanitized.indexOf("Signed, attached.")).toBeLessThan(signatureAt);
    expect(signatureAt).toBeLessThan(quoteAt);
  });

  it("puts the '-- ' line right above the signature and quotes the original with '> '", () => {
    expect(htmlToPlainText(sanitized)).toBe(
      "Signed, attached.\n\n-- \nAnn Example\nACME Ltd\n\n" +
        "On Fri, Nov 27, 2026, 9:30 AM, Alice <alice@example.com> wrote:\n\n> Can you sign it by Friday?",
    );
  });

  it("leaves the signature out when the sender has none", () => {
    expect(composeMessageHtml({ body: "<p>x</p>", signatureHtml: " ", quoteHtml: null })).toBe("<p>x</p>");
  });

  it("splits back into what the user wrote and the quote (Undo), without the signature", () => {
    expect(splitComposedHtml(html)).toEqual({
      body: "<p>Signed, attached.</p>",
      quoteHtml: replyDraftParts(source, "reply", [], "UTC").quoteHtml,
    });
    expect(splitComposedHtml("<p>plain</p>")).toEqual({ body: "<p>plain</p>", quoteHtml: null });
  });

  it("other classes are still dropped", () => {
    expect(sanitizeEmailHtml('<div class="sv-signature evil">x</div><p class="sv-quote">y</p>')).toBe(
      '<div class="sv-signature">x</div><p>y</p>',
    );
  });
});

describe("In-Reply-To and References in MIME", () => {
  it("are emitted, folded, and read back by mailparser", async () => {
    const references = Array.from({ length: 8 }, (_, i) => `<thread-${i}-abcdefghij@example.com>`).join(" ");
    const raw = buildMimeMessage({
      messageId: "<child@example.com>",
      date: new Date("2026-11-27T10:00:00Z"),
      from: me,
      to: [alice],
      subject: "Re: Contract",
      html: "<p>ok</p>",
      text: "ok",
      inReplyTo: "<thread-7-abcdefghij@example.com>",
      references,
    });
    const head = raw.toString("utf8").split("\r\n\r\n")[0]!;
    expect(head.split("\r\n").every((line) => line.length <= 78)).toBe(true);
    const parsed = await simpleParser(raw);
    expect(parsed.inReplyTo).toBe("<thread-7-abcdefghij@example.com>");
    expect(parsed.references).toEqual(parseMessageIds(references));
  });

  it("are absent for a new message, and anything but msg-id tokens never reaches them", () => {
    const base = {
      messageId: "<n@x>",
      date: new Date(),
      from: me,
      to: [alice],
      subject: "s",
      html: "",
      text: "",
    };
    expect(buildMimeMessage(base).toString()).not.toMatch(/In-Reply-To|References/);
    const injected = buildMimeMessage({
      ...base,
      inReplyTo: "<a@x>\r\nBcc: evil@x",
      references: "junk",
    }).toString();
    expect(injected).toContain("In-Reply-To: <a@x>\r\n");
    expect(injected).not.toMatch(/Bcc|References/);
  });
});

describe("the send body's threading fields", () => {
  const body = {
    idempotencyKey: "7d8f3a2e-5b1c-4c1d-9e2f-0a1b2c3d4e5f",
    senderId: "s1",
    to: [alice],
  };
  it.each([
    [{ inReplyTo: "<a@x>", references: "<r@x> <a@x>", forwardOf: "mailbox:abc_1" }, true],
    [{ inReplyTo: "a@x" }, false],
    [{ inReplyTo: "<a@x> <b@x>" }, false],
    [{ references: "<a@x>  <b@x>" }, false],
    [{ references: "<a@x>\r\n<b@x>" }, false],
    [{ inReplyTo: "<é@x>" }, false],
    [{ forwardOf: "inbox:1" }, false],
    [{ forwardOf: "sent:../x" }, false],
  ])("%j", (fields, ok) => {
    expect(sendMessageBody.safeParse({ ...body, ...fields }).success).toBe(ok);
  });
});
