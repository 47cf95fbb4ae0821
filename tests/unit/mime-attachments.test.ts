import { createHash, randomBytes } from "node:crypto";
import { simpleParser } from "mailparser";
import { describe, expect, it } from "vitest";
import { attachmentWireSize, base64Size, estimatedMessageSize } from "@/lib/attachments/encoded-size";
import { messageSizeLimitOf } from "@/lib/attachments/size-limits";
import { buildMimeMessageWithFiles, filenameParameters, type MimeFile } from "@/lib/mail/mime-attachments";
import type { MimeMessageInput } from "@/lib/mail/mime-build";
import { cleanContentType, looksExecutable, uploadAttachmentQuery } from "@/lib/validation/attachments";

const message: MimeMessageInput = {
  messageId: "m1@example.com",
  date: new Date("2026-11-27T08:00:00Z"),
  from: { address: "me@example.com" },
  to: [{ address: "you@example.org" }],
  subject: "Files",
  html: '<p>See attached <img src="cid:pic@securevault"></p>',
  text: "See attached",
};

/** A file served in chunks of `chunk` bytes, as a storage stream would. */
function file(name: string, data: Buffer, extra: Partial<MimeFile> = {}, chunk = 1000): MimeFile {
  return {
    filename: name,
    contentType: "application/octet-stream",
    size: data.length,
    open: async function* () {
      for (let i = 0; i < data.length; i += chunk) yield data.subarray(i, i + chunk);
    },
    ...extra,
  };
}

const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");

describe("buildMimeMessageWithFiles", () => {
  it("wraps the alternative part in multipart/mixed, files base64 in 76-character lines, byte-identical", async () => {
    const a = randomBytes(100_003);
    const b = Buffer.from("hello\n");
    const raw = await buildMimeMessageWithFiles(message, [
      file("report.pdf", a),
      file("notes.txt", b, { contentType: "text/plain" }, 1),
    ]);
    const text = raw.toString("latin1");
    expect(text).toMatch(/^Content-Type: multipart\/mixed; boundary="/m);
    expect(text).toMatch(/^Content-Type: multipart\/alternative; boundary="/m);
    expect(text).not.toMatch(/multipart\/related/);
    expect(text.split("\r\n").every((l) => l.length <= 998)).toBe(true);
    const parsed = await simpleParser(raw);
    expect(parsed.text?.trim()).toBe("See attached");
    expect(parsed.attachments.map((x) => [x.filename, x.contentDisposition, sha(x.content)])).toEqual([
      ["report.pdf", "attachment", sha(a)],
      ["notes.txt", "attachment", sha(b)],
    ]);
  });

  it.each([
    ["Résumé – 2026.pdf"],
    ["отчёт за ноябрь с очень длинным названием, которое не помещается в одну строку заголовка.xlsx"],
    ["写真 📷.jpg"],
    ['quote " and back\\slash.txt'],
    ["a".repeat(200) + ".txt"],
  ])("keeps the name %s intact (RFC 2231)", async (name) => {
    const raw = await buildMimeMessageWithFiles(message, [file(name, Buffer.from("x"))]);
    const parsed = await simpleParser(raw);
    expect(parsed.attachments[0]!.filename).toBe(name);
    expect(
      raw
        .toString("latin1")
        .split("\r\n")
        .every((l) => l.length <= 998),
    ).toBe(true);
  });

  it("uses percent-encoded continuations for long non-ASCII names, never splitting a character", () => {
    const params = filenameParameters("é".repeat(40));
    expect(params).toMatch(/filename\*0\*=utf-8''(%C3%A9)+;/);
    expect(params).toMatch(/filename\*1\*=(%C3%A9)+;/);
    expect(params).toMatch(/filename\*3\*=(%C3%A9)+$/);
    expect(filenameParameters("plain.txt")).toBe('\r\n filename="plain.txt"');
  });

  it("puts pasted images inline in multipart/related with their Content-ID", async () => {
    const png = randomBytes(5000);
    const raw = await buildMimeMessageWithFiles(message, [
      file("pasted.png", png, { contentType: "image/png", contentId: "pic@securevault" }),
    ]);
    const text = raw.toString("latin1");
    expect(text).toMatch(/^Content-Type: multipart\/related; type="multipart\/alternative"; boundary=/m);
    expect(text).not.toMatch(/multipart\/mixed/);
    expect(text).toMatch(/^Content-ID: <pic@securevault>$/m);
    expect(text).toMatch(/^Content-Disposition: inline;/m);
    const parsed = await simpleParser(raw);
    expect(parsed.attachments).toHaveLength(1);
    expect(parsed.attachments[0]!.related).toBe(true);
    expect(parsed.attachments[0]!.cid).toBe("pic@securevault");
    expect(sha(parsed.attachments[0]!.content)).toBe(sha(png));
  });

  it("nests related inside mixed when there are both inline images and files", async () => {
    const raw = await buildMimeMessageWithFiles(message, [
      file("pasted.png", Buffer.from("png"), { contentType: "image/png", contentId: "pic@securevault" }),
      file("a.bin", Buffer.from("bin")),
    ]);
    const text = raw.toString("latin1");
    const mixed = text.indexOf("multipart/mixed");
    const related = text.indexOf("multipart/related");
    const alternative = text.indexOf("multipart/alternative;");
    expect(mixed).toBeGreaterThan(-1);
    expect(related).toBeGreaterThan(mixed);
    expect(alternative).toBeGreaterThan(related);
    const parsed = await simpleParser(raw);
    expect(parsed.attachments.map((a) => a.filename)).toEqual(["pasted.png", "a.bin"]);
  });

  it("refuses a stored file whose length differs from its record", async () => {
    const short = { ...file("x.bin", Buffer.from("abc")), size: 4 };
    await expect(buildMimeMessageWithFiles(message, [short])).rejects.toThrow(/shorter than recorded/);
    const long = { ...file("x.bin", Buffer.from("abcde")), size: 4 };
    await expect(buildMimeMessageWithFiles(message, [long])).rejects.toThrow(/larger than recorded/);
  });
});

describe("encoded sizes", () => {
  it.each([
    [0, 0],
    [1, 4 + 2],
    [57, 76 + 2],
    [58, 76 + 4 + 4],
    [3 * 1024 * 1024, 4 * 1024 * 1024 + 2 * Math.ceil((4 * 1024 * 1024) / 76)],
  ])("base64Size(%i) = %i", (size, expected) => {
    expect(base64Size(size)).toBe(expected);
  });

  it("matches what the MIME builder writes for each file", async () => {
    for (const size of [1, 2, 3, 56, 57, 58, 114, 1000, 65_537]) {
      const data = randomBytes(size);
      const withFile = await buildMimeMessageWithFiles(message, [file("f.bin", data, {}, 7)]);
      const b64 = withFile.toString("latin1").split("\r\n\r\n").pop()!; // after the last part's headers
      const body = b64.slice(0, b64.indexOf("\r\n--") + 2);
      expect(body.length).toBe(base64Size(size));
    }
  });

  it("counts a third more than the file, plus headers", () => {
    const fiveMb = 5 * 1024 * 1024;
    expect(attachmentWireSize(fiveMb) / fiveMb).toBeGreaterThan(4 / 3);
    expect(attachmentWireSize(fiveMb) / fiveMb).toBeLessThan(1.4);
    expect(estimatedMessageSize(1000, [fiveMb])).toBeGreaterThan(attachmentWireSize(fiveMb));
  });
});

describe("sender size limits", () => {
  const base = {
    kind: "smtp",
    preset: "custom",
    host: null,
    fromEmail: "me@example.com",
    oauthProvider: null,
    smtpSizeLimit: null,
  };
  const MB = 1024 * 1024;
  it.each([
    [{ preset: "gmail", host: "smtp.gmail.com" }, 25, "Gmail"],
    [{ kind: "gmail-api", oauthProvider: "google" }, 25, "Gmail"],
    [{ preset: "outlook", host: "smtp.office365.com", fromEmail: "me@outlook.com" }, 20, "Outlook.com"],
    [{ preset: "outlook", host: "smtp.office365.com", fromEmail: "me@hotmail.co.uk" }, 20, "Outlook.com"],
    [{ preset: "outlook", host: "smtp.office365.com", fromEmail: "me@contoso.com" }, 35, "Microsoft 365"],
    [{ preset: "yahoo", host: "smtp.mail.yahoo.com" }, 25, "Yahoo Mail"],
    [{ host: "mail.example.com", smtpSizeLimit: 10 * MB }, 10, "mail.example.com"],
    [{ host: "mail.example.com" }, 12, "mail.example.com"],
  ])("%o → %i MB (%s)", (fields, mb, provider) => {
    expect(messageSizeLimitOf({ ...base, ...fields }, 12)).toEqual({ bytes: mb * MB, provider });
  });
});

describe("upload input", () => {
  const key = "7d1c3c3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e";
  it.each([
    ["../etc/passwd", "name"],
    ["dir\\file.txt", "name"],
    ["bad\u0000name", "name"],
    ["line\nbreak.txt", "name"],
    ["evil\u202Etxt.exe", "name"],
    ["", "name"],
    ["..", "name"],
  ])("refuses the name %j", (name, field) => {
    const result = uploadAttachmentQuery.safeParse({ name, key });
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]!.path).toEqual([field]);
  });

  it("takes an ordinary name", () => {
    expect(uploadAttachmentQuery.safeParse({ name: "Résumé (final).pdf", key }).success).toBe(true);
  });

  it.each([
    ["setup.exe", [0, 0], true],
    ["program", [0x4d, 0x5a], true],
    ["tool", [0x7f, 0x45, 0x4c, 0x46], true],
    ["run.sh", [0, 0], true],
    ["photo.jpg", [0xff, 0xd8], false],
    ["exe", [0x25, 0x50], false],
  ])("flags %s as a program: %s", (name, head, expected) => {
    expect(looksExecutable(name, Uint8Array.from(head))).toBe(expected);
  });

  it.each([
    ["image/PNG", "image/png"],
    ["text/plain; charset=utf-8", "text/plain"],
    ["text/html\r\nX-Evil: 1", "application/octet-stream"],
    [null, "application/octet-stream"],
  ])("cleans the content type %j", (header, expected) => {
    expect(cleanContentType(header)).toBe(expected);
  });
});
