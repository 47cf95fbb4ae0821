import { simpleParser } from "mailparser";
import { describe, expect, it } from "vitest";
import { buildMimeMessage, type MimeMessageInput } from "@/lib/mail/mime-build";
import {
  base64Lines,
  encodedWords,
  foldHeader,
  hasLongerLines,
  quotedPrintable,
  quotedString,
} from "@/lib/mail/mime-encode";

/** Decodes quoted-printable as RFC 2045 §6.7 reads it: soft breaks removed, =XX as bytes, UTF-8. */
function decodeQp(encoded: string): string {
  const joined = encoded.replace(/=\r\n/g, "");
  const bytes: number[] = [];
  for (let i = 0; i < joined.length; i++) {
    if (joined[i] === "=") {
      bytes.push(parseInt(joined.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(joined.charCodeAt(i));
  }
  return Buffer.from(bytes).toString("utf8");
}

const lines = (s: string) => s.split("\r\n");

describe("mime-encode", () => {
  it("base64 in lines of 76, decoding to the same bytes", () => {
    const data = Buffer.from("Привет, мир! ".repeat(40), "utf8");
    const encoded = base64Lines(data);
    expect(lines(encoded).every((l) => l.length <= 76)).toBe(true);
    expect(
      lines(encoded)
        .slice(0, -1)
        .every((l) => l.length === 76),
    ).toBe(true);
    expect(Buffer.from(encoded.replace(/\r\n/g, ""), "base64").equals(data)).toBe(true);
    expect(base64Lines(Buffer.from("hi"))).toBe("aGk=");
  });

  it.each([
    ["accents and a long line", `Café crème, naïve façade — ${"déjà vu ".repeat(30)}`],
    ["'=' signs, tabs and trailing spaces", "a=b\tc \r\nnext line ends with a tab\t\r\n=3D is not an escape"],
    ["emoji and CJK across soft breaks", `${"😀漢字".repeat(40)}\r\nend`],
    ["a dot and 'From ' at line starts", ".\r\n.hidden\r\nFrom me"],
  ])("quoted-printable: %s round-trips, no line over 76, escapes never split", (_name, text) => {
    const encoded = quotedPrintable(text);
    expect(lines(encoded).every((l) => l.length <= 76)).toBe(true);
    expect(encoded).not.toMatch(/[ \t]\r\n|[ \t]$/); // no whitespace before a line break
    expect(encoded).not.toMatch(/=(?![0-9A-F]{2}|\r\n|$)/); // every "=" starts an escape or a soft break
    expect(encoded).toMatch(/^[\t\x20-\x7e\r\n]*$/);
    expect(decodeQp(encoded)).toBe(text);
  });

  it("encoded words: UTF-8 Q words of at most 60 characters, never splitting a character", () => {
    const text = `Ünïcödé subject 😀 with "quotes", under_scores and = signs ${"ж".repeat(50)}`;
    const words = encodedWords(text).split(" ");
    expect(words.length).toBeGreaterThan(2);
    for (const word of words) {
      expect(word).toMatch(/^=\?UTF-8\?Q\?[A-Za-z0-9!*+\-/=_]+\?=$/);
      expect(word.length).toBeLessThanOrEqual(60);
      // Each word decodes on its own to whole characters.
      const inner = word.slice(10, -2).replace(/_/g, " ");
      expect(decodeQp(inner)).not.toContain("\uFFFD");
    }
  });

  it("quoted strings escape backslashes and quotes", () => {
    expect(quotedString('Smith, "Bob" \\ Co')).toBe('"Smith, \\"Bob\\" \\\\ Co"');
  });

  it("folds headers at spaces within 76 where it can, and says which text has long lines", () => {
    const folded = foldHeader(
      `To: ${Array.from({ length: 12 }, (_, i) => `<person${i}@example.com>`).join(", ")}`,
    );
    expect(lines(folded).length).toBeGreaterThan(1);
    expect(lines(folded).every((l) => l.length <= 76)).toBe(true);
    expect(
      lines(folded)
        .slice(1)
        .every((l) => l.startsWith(" ")),
    ).toBe(true);
    expect(folded.replace(/\r\n/g, "")).toBe(
      `To: ${Array.from({ length: 12 }, (_, i) => `<person${i}@example.com>`).join(", ")}`,
    );
    expect(hasLongerLines(`short\r\n${"x".repeat(77)}`)).toBe(true);
    expect(hasLongerLines(`short\r\n${"x".repeat(76)}`)).toBe(false);
  });
});

describe("buildMimeMessage, read back by mailparser", () => {
  const base: MimeMessageInput = {
    messageId: "round-trip@securevault.test",
    date: new Date("2026-11-27T02:00:00Z"),
    from: { name: "Zoë Ölçer", address: "zoe@example.com" },
    to: [
      { name: 'Smith, "Bob"', address: "bob@example.com" },
      { name: "Пётр Иванов", address: "petr@пример.рф" },
    ],
    cc: [{ name: "plain name", address: "carol@example.com" }],
    subject: `Réunion 📅 — ${"ordre du jour très long ".repeat(5)}`,
    html: `<p>Bonjour à tous,</p><p>${"Voici le compte rendu détaillé. ".repeat(10)}</p>`,
    text: `Bonjour à tous,\n\n${"Voici le compte rendu détaillé. ".repeat(10)}\n= fin`,
  };

  it.each([
    ["Latin text (quoted-printable)", base],
    [
      "mostly Cyrillic and CJK (base64)",
      { ...base, html: `<p>${"Привет 你好 ".repeat(30)}</p>`, text: "Привет 你好 ".repeat(30) },
    ],
    [
      "plain ASCII with short lines (7bit)",
      { ...base, html: "<p>Hi</p>", text: "Hi\nthere", subject: "Hello" },
    ],
  ])("%s: headers, both parts and every line within limits", async (_name, input) => {
    const raw = buildMimeMessage(input);
    const source = raw.toString("latin1");
    expect(source).toMatch(/^[\x00-\x7f]*$/); // 7-bit throughout
    expect(lines(source).every((l) => l.length <= 78)).toBe(true);
    const parsed = await simpleParser(raw);
    expect(parsed.messageId).toBe("<round-trip@securevault.test>");
    expect(parsed.subject).toBe(input.subject);
    expect(parsed.from?.value).toEqual([{ name: "Zoë Ölçer", address: "zoe@example.com" }]);
    const to = Array.isArray(parsed.to) ? parsed.to.flatMap((a) => a.value) : parsed.to!.value;
    expect(to.map((a) => a.name)).toEqual(['Smith, "Bob"', "Пётр Иванов"]);
    // The domain goes in its ASCII form; mailparser shows it in Unicode again.
    expect(source).toContain("<petr@xn--e1afmkfd.xn--p1ai>");
    expect(to[1]!.address).toBe("petr@пример.рф");
    expect(parsed.text?.replace(/\r\n/g, "\n").trimEnd()).toBe(input.text.trimEnd());
    expect(parsed.html).toBe(input.html);
    expect(parsed.headers.has("bcc")).toBe(false);
  });

  it("a subject or name with CR/LF cannot add a header", async () => {
    const parsed = await simpleParser(
      buildMimeMessage({
        ...base,
        subject: "Hi\r\nBcc: victim@example.com",
        from: { name: "Eve\r\nX-Injected: yes", address: "eve@example.com" },
      }),
    );
    expect(parsed.headers.has("bcc")).toBe(false);
    expect(parsed.headers.has("x-injected")).toBe(false);
    expect(parsed.subject).toBe("Hi Bcc: victim@example.com");
  });
});
