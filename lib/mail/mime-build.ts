// A lean MIME builder for the one shape SecureVault sends: multipart/alternative with text/plain and text/html.
// nodemailer's MailComposer streams every part through Transform streams, which costs ~350–700 µs a message
// here (see lib/mail/smtp-client.ts); building the string directly with its encoders costs a few µs.

import { randomBytes } from "node:crypto";
import { domainToASCII } from "node:url";
import * as base64 from "nodemailer/lib/base64";
import * as mimeFuncs from "nodemailer/lib/mime-funcs";
import * as qp from "nodemailer/lib/qp";

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
};

// Unique per process and per message; random so no body can contain it by chance.
const boundaryPrefix = `--_sv_${randomBytes(9).toString("base64url")}_`;
let boundaryCounter = 0;

// Printable ASCII without the specials that force a quoted string in a display name (RFC 5322 §3.2.3).
const ATOM_PHRASE = /^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~ ]*$/;
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

export function buildMimeMessage(input: MimeMessageInput): Buffer {
  const boundary = `${boundaryPrefix}${(boundaryCounter++).toString(36)}`;
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
    "MIME-Version: 1.0",
    `Content-Type: multipart/alternative; boundary="${boundary}"`,
  );
  const body =
    `${headers.join("\r\n")}\r\n\r\n` +
    `--${boundary}\r\n${part("text/plain", input.text)}\r\n` +
    `--${boundary}\r\n${part("text/html", input.html)}\r\n` +
    `--${boundary}--\r\n`;
  return Buffer.from(body, "utf8");
}

/** A header folded at 76 characters where whitespace allows; no line ever exceeds 998. */
function header(name: string, value: string): string {
  const line = `${name}: ${value}`;
  return line.length <= 76 ? line : mimeFuncs.foldLines(line, 76).replace(/\r?\n$/, "");
}

function encodeText(value: string): string {
  const clean = value.replace(/[\r\n]+/g, " "); // a header value is one line; CR/LF would inject headers
  return PRINTABLE_ASCII.test(clean) ? clean : mimeFuncs.encodeWords(clean, "Q", 52);
}

function formatAddress(recipient: { name?: string; address: string }): string {
  const address = `<${asciiDomain(recipient.address.replace(/[\r\n<>]/g, ""))}>`;
  const name = (recipient.name ?? "").replace(/[\r\n]+/g, " ").trim();
  if (!name) return address;
  if (ATOM_PHRASE.test(name)) return `${name} ${address}`;
  if (PRINTABLE_ASCII.test(name)) return `${mimeFuncs.quoteString(name)} ${address}`;
  return `${mimeFuncs.encodeWords(name, "Q", 52, true)} ${address}`;
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

/** RFC 5322 date in UTC, e.g. "Tue, 24 Nov 2026 22:06:28 +0000". */
function formatDate(date: Date): string {
  return date.toUTCString().replace(/GMT$/, "+0000");
}

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
  if (nonAscii === 0 && !mimeFuncs.hasLongerLines(crlf, 76) && !/\r(?!\n)/.test(crlf)) {
    return `${head}7bit\r\n\r\n${crlf}`;
  }
  if (nonAscii > crlf.length / 2) {
    return `${head}base64\r\n\r\n${base64.wrap(base64.encode(Buffer.from(crlf, "utf8")), 76)}`;
  }
  return `${head}quoted-printable\r\n\r\n${qp.wrap(qp.encode(crlf), 76)}`;
}
