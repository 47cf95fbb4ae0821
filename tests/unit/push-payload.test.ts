import { describe, expect, it } from "vitest";
import {
  describeCampaignFinished,
  describeOutcome,
  shortReason,
  type NotifiedOutcome,
} from "@/lib/push/outcome-text";
import {
  buildCampaignPushPayload,
  buildPushPayload,
  encodePushPayload,
  MAX_PUSH_PAYLOAD_BYTES,
  parsePushPayload,
  utf8Length,
} from "@/lib/push/payload";
import { cleanLine, truncateText } from "@/lib/push/truncate";

const base: NotifiedOutcome = {
  kind: "delivered",
  subject: "Re: contract",
  accepted: [],
  reason: null,
  attempts: 1,
};
const id = "0193a5b2-7c1e-7d2a-9f00-1234567890ab";

describe("outcome → notification text", () => {
  it.each<[string, Partial<NotifiedOutcome>, { title: string; body: string }]>([
    [
      "delivered to one",
      { accepted: ["alice@example.com"] },
      { title: "Delivered to alice@example.com", body: "Re: contract" },
    ],
    [
      "delivered to three",
      { accepted: ["alice@example.com", "bob@example.com", "carol@example.com"] },
      { title: "Delivered to alice@example.com and 2 others", body: "Re: contract" },
    ],
    [
      "delivered to two, one rejected",
      { accepted: ["a@example.com", "b@example.com"], reason: "Rejected for gone@example.com" },
      {
        title: "Delivered to a@example.com and 1 other",
        body: "Re: contract · Rejected for gone@example.com",
      },
    ],
    [
      "failed with the server's words",
      {
        kind: "failed",
        reason:
          'smtp.example.com:587 refused the recipients (550). The server said: "550 5.1.1 Mailbox does not exist"',
      },
      { title: "Not delivered: Mailbox does not exist", body: "Re: contract" },
    ],
    [
      "failed without a server reply",
      { kind: "failed", reason: "The sender of this message was removed before it could be sent." },
      {
        title: "Not delivered: The sender of this message was removed before it could be sent",
        body: "Re: contract",
      },
    ],
    [
      "failed with no reason",
      { kind: "failed", reason: null, subject: "  " },
      { title: "Not delivered: the mail server refused it", body: "(no subject)" },
    ],
    [
      "still trying",
      { kind: "retrying", attempts: 3, reason: "mx.example.com:25 refused the connection. Check the port." },
      {
        title: "Still trying to deliver (3 attempts so far)",
        body: "Re: contract · mx.example.com:25 refused the connection",
      },
    ],
  ])("%s", (_name, change, expected) => {
    expect(describeOutcome({ ...base, ...change })).toEqual(expected);
  });

  it.each([
    [
      'x refused the message (451). The server said: "451 4.7.1 Greylisted, try later"',
      "Greylisted, try later",
    ],
    ['x (550). The server said: "550-5.1.1 No such user"', "No such user"],
    ['x (554). The server said: "554 Transaction failed"', "Transaction failed"],
    ["Timed out waiting for 1.2.3.4:25. Check the host.", "Timed out waiting for 1.2.3.4:25"],
  ])("short reason of %j is %j", (reason, short) => {
    expect(shortReason(reason)).toBe(short);
  });
});

describe("push payload", () => {
  it("carries the id, the outcome, the text and the message's URL, never more", () => {
    const payload = buildPushPayload({ ...base, messageId: id, accepted: ["alice@example.com"] });
    expect(payload).toEqual({
      v: 1,
      messageId: id,
      outcome: "delivered",
      title: "Delivered to alice@example.com",
      body: "Re: contract",
      url: `/messages/${id}`,
    });
    expect(parsePushPayload(JSON.parse(encodePushPayload(payload)))).toEqual(payload);
  });

  const huge = {
    "emoji with skin tones and ZWJ families": "👩🏽‍💻👨‍👩‍👧‍👦".repeat(10_000),
    "one letter with 100k combining marks": "e" + "\u0301".repeat(100_000),
    CJK: "契約の再確認".repeat(20_000),
    "control characters": "Re:\u0001\u001f\u007f".repeat(20_000),
    "lone surrogates": "\uD83D".repeat(100_000),
    mixed: "Re: 契約 🇫🇷 ñ é\u0301 👍🏿 ".repeat(5_000),
  };

  it.each(Object.entries(huge).map(([name, subject]) => ({ name, subject })))(
    "stays within the limit for a 100 kB subject: $name",
    ({ subject }) => {
      expect(subject.length).toBeGreaterThanOrEqual(100_000);
      for (const kind of ["delivered", "failed", "retrying"] as const) {
        const payload = buildPushPayload({
          kind,
          messageId: id,
          subject,
          accepted: [subject.slice(0, 300) + "@example.com", "b@example.com"],
          reason: `x (550). The server said: "550 ${subject}"`,
          attempts: 3,
        });
        const json = encodePushPayload(payload);
        expect(utf8Length(json)).toBeLessThanOrEqual(MAX_PUSH_PAYLOAD_BYTES);
        // Well-formed text: encoding to UTF-8 and back changes nothing (no half surrogate pairs).
        for (const text of [payload.title, payload.body]) {
          expect(new TextDecoder().decode(new TextEncoder().encode(text))).toBe(text);
        }
        expect(payload.body.endsWith("…")).toBe(true);
      }
    },
  );

  it("is under the limit even when the text is all escaped characters", () => {
    const payload = {
      ...buildPushPayload({ ...base, messageId: id }),
      title: "\u0001".repeat(2_000),
      body: '"'.repeat(5_000),
    };
    expect(utf8Length(encodePushPayload(payload))).toBeLessThanOrEqual(MAX_PUSH_PAYLOAD_BYTES);
  });

  it.each([
    null,
    "text",
    { v: 2, messageId: id, outcome: "delivered", title: "t", body: "b", url: `/messages/${id}` },
    { v: 1, messageId: id, outcome: "exploded", title: "t", body: "b", url: `/messages/${id}` },
    { v: 1, messageId: id, outcome: "failed", title: "t", body: "b", url: "https://evil.example/" },
    { v: 1, messageId: id, outcome: "failed", title: 1, body: "b", url: `/messages/${id}` },
    { v: 1, campaignId: id, outcome: "campaign-finished", title: "t", body: "b", url: `/messages/${id}` },
    { v: 1, messageId: id, outcome: "campaign-finished", title: "t", body: "b", url: `/campaigns/${id}` },
    { v: 1, campaignId: id, outcome: "delivered", title: "t", body: "b", url: `/campaigns/${id}` },
  ])("the service worker ignores a payload that is not ours: %j", (value) => {
    expect(parsePushPayload(value)).toBeNull();
  });

  it("a finished campaign: its counts, its page, and nothing else", () => {
    const text = describeCampaignFinished({
      name: "  Spring news ",
      counts: { sent: 1998, failed: 2, skipped: 4, cancelled: 1 },
    });
    expect(text).toEqual({
      title: "Campaign “Spring news” finished",
      body: "1,998 sent · 2 failed · 5 not sent",
    });
    expect(
      describeCampaignFinished({ name: "", counts: { sent: 3, failed: 0, skipped: 0, cancelled: 0 } }),
    ).toEqual({ title: "Campaign “Untitled” finished", body: "3 sent" });
    const payload = buildCampaignPushPayload({
      campaignId: id,
      title: `${text.title}\n${"x".repeat(300)}`,
      body: text.body,
    });
    expect(payload).toEqual({
      v: 1,
      campaignId: id,
      outcome: "campaign-finished",
      title: expect.stringMatching(/^Campaign “Spring news” finished x+…$/),
      body: "1,998 sent · 2 failed · 5 not sent",
      url: `/campaigns/${id}`,
    });
    expect([...payload.title].length).toBe(100);
    expect(parsePushPayload(JSON.parse(encodePushPayload(payload)))).toEqual(payload);
  });
});

describe("truncating text", () => {
  it.each([
    ["short stays", "Hello", 10, "Hello"],
    ["exact stays", "Hello", 5, "Hello"],
    ["cut with an ellipsis", "Hello world", 6, "Hello…"],
    ["emoji are counted as code points, not halves", "😀😀😀😀", 3, "😀😀…"],
    ["a family emoji stays whole or goes", "ab👨‍👩‍👧‍👦cd", 5, "ab…"],
    ["a flag stays whole", "🇫🇷🇩🇪🇮🇹", 4, "🇫🇷…"],
    ["an accent stays on its letter", "cafe\u0301s", 5, "caf…"],
    ["a giant grapheme is cut between code points", "e" + "\u0301".repeat(50), 4, "e\u0301\u0301…"],
  ])("%s", (_name, text, max, expected) => {
    expect(truncateText(text, max)).toBe(expected);
    expect([...truncateText(text, max)].length).toBeLessThanOrEqual(max);
  });

  it("makes one clean line of control characters and broken surrogates", () => {
    expect(cleanLine(" a\r\nb\u0000c\uD800d \u2028 e ")).toBe("a b c\uFFFDd e");
  });
});
