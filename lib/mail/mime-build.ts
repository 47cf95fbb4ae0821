// A lean MIME builder for the shape SecureVault sends: multipart/alternative with text/plain and text/html,
// built as one string (a general composer streams every part through Transform streams, which costs far more a
// message); the encodings are lib/mail/mime-encode.ts. With files, lib/mail/mime-attachments.ts wraps it.

import { randomBytes } from "node:crypto";
import { domainToASCII } from "node:url";
import { rememberRecent } from "@/lib/cache/recent-results";
import {
  base64Lines,
  encodedWords,
  foldHeader,
  hasLongerLines,
  quotedPrintable,
  quotedString,
} from "@/lib/mail/mime-encode";

export type MimeRecipient = { address: string; name?: string };

export type MimeMessageInput = {
  /** With or without the angle brackets. */
  messageId: string;
  date: Date;
  from: { name?: string; address: string };
  to: MimeRecipient[];
  cc?: MimeRecipient[];
  subject: string;
  html: string;
  text: string;
  /** A reply's threading headers (RFC 5322 §3.6.4): Message-IDs in angle brackets, space-separated. */
  inReplyTo?: string | null;
  references?: string | null;
  /** More headers, such as List-Unsubscribe on campaign messages: [name, value], each kept to one line. */
  extraHeaders?: [string, string][];
};

// Unique per process and per message; random so no body can contain it by chance.
const boundaryPrefix = `--_sv_${randomBytes(9).toString("base64url")}_`;
let boundaryCounter = 0;

// Printable ASCII without the specials that force a quoted string in a display name (RFC 5322 §3.2.3).
const ATOM_PHRASE = /^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~ ]*$/;
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

export function buildMimeMessage(input: MimeMessageInput): Buffer {
  const boundary = nextBoundary();
  const headers = messageHeaders(input, `multipart/alternative; boundary="${boundary}"`);
  return Buffer.from(`${headers}\r\n\r\n${alternativeBody(boundary, input)}`, "utf8");
}

/** A boundary no other part of this process's messages uses. */
export function nextBoundary(): string {
  return `${boundaryPrefix}${(boundaryCounter++).toString(36)}`;
}

/** The message's header block (no blank line after it), its top part of type `contentType`. */
export function messageHeaders(input: MimeMessageInput, contentType: string): string {
  const headers = [
    header("From", formatAddress(input.from)),
    header("To", input.to.map(formatAddress).join(", ")),
  ];
  if (input.cc?.length) headers.push(header("Cc", input.cc.map(formatAddress).join(", ")));
  // Bcc is deliberately absent: those recipients are only in the SMTP envelope.
  headers.push(
    header("Subject", encodeText(input.subject)),
    `Message-ID: ${bracket(input.messageId)}`,
    `Date: ${formatDate(input.date)}`,
    ...threadingHeaders(input),
    "MIME-Version: 1.0",
    `Content-Type: ${contentType}`,
  );
  for (const [name, value] of input.extraHeaders ?? []) {
    if (/^[!-9;-~]+$/.test(name)) headers.push(header(name, value.replace(/[\r\n]+/g, " ")));
  }
  return headers.join("\r\n");
}

/** The text/plain and text/html parts between `boundary` lines, ending with the closing one and CRLF. */
export function alternativeBody(boundary: string, input: Pick<MimeMessageInput, "text" | "html">): string {
  return (
    `--${boundary}\r\n${textPart(input.text)}\r\n` +
    `--${boundary}\r\n${htmlPart(input.html)}\r\n` +
    `--${boundary}--\r\n`
  );
}

/** In-Reply-To and References, each kept to msg-id tokens (nothing else can reach the header). */
function threadingHeaders(input: Pick<MimeMessageInput, "inReplyTo" | "references">): string[] {
  const ids = (value: string | null | undefined) => (value ?? "").match(/<[!-;=?-~]+>/g) ?? [];
  const lines: string[] = [];
  const inReplyTo = ids(input.inReplyTo);
  if (inReplyTo.length) lines.push(header("In-Reply-To", inReplyTo.join(" ")));
  const references = ids(input.references);
  if (references.length) lines.push(header("References", references.join(" ")));
  return lines;
}

/** A header folded at 76 characters where whitespace allows; no line ever exceeds 998. */
export function header(name: string, value: string): string {
  const line = `${name}: ${value}`;
  return foldHeader(line, 76);
}

export function encodeText(value: string): string {
  const clean = value.replace(/[\r\n]+/g, " "); // a header value is one line; CR/LF would inject headers
  return PRINTABLE_ASCII.test(clean) ? clean : encodedWords(clean);
}

function formatAddress(recipient: { name?: string; address: string }): string {
  const address = `<${asciiDomain(recipient.address.replace(/[\r\n<>]/g, ""))}>`;
  const name = (recipient.name ?? "").replace(/[\r\n]+/g, " ").trim();
  if (!name) return address;
  if (ATOM_PHRASE.test(name)) return `${name} ${address}`;
  if (PRINTABLE_ASCII.test(name)) return `${quotedString(name)} ${address}`;
  return `${encodedWords(name)} ${address}`;
}

/** An internationalised domain in its ASCII (punycode) form, so the header stays 7-bit. */
function asciiDomain(address: string): string {
  const at = address.lastIndexOf("@");
  if (at < 0 || PRINTABLE_ASCII.test(address.slice(at + 1))) return address;
  return `${address.slice(0, at + 1)}${domainToASCII(address.slice(at + 1)) || address.slice(at + 1)}`;
}

function bracket(messageId: string): string {
  const id = messageId.trim().replace(/[\r\n<>]/g, "");
  return `<${id}>`;
}

/** RFC 5322 date in UTC, e.g. "Tue, 24 Nov 2026 22:06:28 +0000"; messages of the same second share one. */
function formatDate(date: Date): string {
  const second = Math.floor(date.getTime() / 1000);
  if (second !== lastDate.second) lastDate = { second, text: date.toUTCString().replace(/GMT$/, "+0000") };
  return lastDate.text;
}
let lastDate = { second: NaN, text: "" };

// A body repeated across a bulk send is encoded once (lib/cache/recent-results.ts).
const textPart = rememberRecent((content) => part("text/plain", content));
const htmlPart = rememberRecent((content) => part("text/html", content));

/**
 * The part's headers and content, without a final CRLF: the one before the next boundary belongs to it.
 * Plain ASCII with short lines goes as 7bit, unencoded; otherwise quoted-printable keeps mostly-Latin text
 * readable, and base64 is smaller when most characters are outside ASCII (Cyrillic, CJK…).
 */
function part(type: "text/plain" | "text/html", content: string): string {
  const crlf = content.replace(/\r?\n/g, "\r\n");
  let nonAscii = 0;
  for (let i = 0; i < crlf.length; i++) if (crlf.charCodeAt(i) > 127) nonAscii += 1;
  const head = `Content-Type: ${type}; charset=utf-8\r\nContent-Transfer-Encoding: `;
  if (nonAscii === 0 && !hasLongerLines(crlf, 76) && !/\r(?!\n)/.test(crlf)) {
    return `${head}7bit\r\n\r\n${crlf}`;
  }
  if (nonAscii > crlf.length / 2) {
    return `${head}base64\r\n\r\n${base64Lines(Buffer.from(crlf, "utf8"), 76)}`;
  }
  return `${head}quoted-printable\r\n\r\n${quotedPrintable(crlf, 76)}`;
}
