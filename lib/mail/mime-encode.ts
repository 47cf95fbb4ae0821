// The MIME encodings mime-build.ts needs, written against the RFCs (no other package's private files):
// base64 in lines (RFC 2045 §6.8), quoted-printable (RFC 2045 §6.7), encoded words for header text (RFC 2047,
// Q encoding of UTF-8), quoted strings (RFC 5322 §3.2.4) and header folding (RFC 5322 §2.2.3).
// tests/unit/mime-encode.test.ts checks each, and that mailparser reads back what they make.

const LINE = 76;
const HEX = "0123456789ABCDEF";

/** base64 of `data` in lines of at most `width` characters, joined with CRLF (no CRLF after the last). */
export function base64Lines(data: Buffer, width = LINE): string {
  const encoded = data.toString("base64");
  if (encoded.length <= width) return encoded;
  const lines: string[] = [];
  for (let i = 0; i < encoded.length; i += width) lines.push(encoded.slice(i, i + width));
  return lines.join("\r\n");
}

/**
 * Quoted-printable of `text`'s UTF-8 bytes. CRLF line breaks stay line breaks; every other byte outside
 * printable ASCII, "=", and a space or tab that ends a line are escaped as =XX; lines longer than `width` are
 * broken with a soft break ("=" at the end), never inside an escape.
 */
export function quotedPrintable(text: string, width = LINE): string {
  return text
    .split("\r\n")
    .map((line) => wrapQpLine(escapeQpLine(Buffer.from(line, "utf8")), width))
    .join("\r\n");
}

function escapeQpLine(bytes: Buffer): string {
  let out = "";
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    const last = i === bytes.length - 1;
    const literal = (b >= 33 && b <= 126 && b !== 61) || ((b === 32 || b === 9) && !last);
    out += literal ? String.fromCharCode(b) : `=${HEX[b >> 4]}${HEX[b & 15]}`;
  }
  return out;
}

/** Soft line breaks: each piece ends with "=" and is at most `width` characters with it. */
function wrapQpLine(line: string, width: number): string {
  if (line.length <= width) return line;
  const pieces: string[] = [];
  let start = 0;
  while (line.length - start > width) {
    let end = start + width - 1; // room for the "="
    // Never split an escape: back up to its "=" when one of the last two characters starts one.
    if (line[end - 1] === "=") end -= 1;
    else if (line[end - 2] === "=") end -= 2;
    pieces.push(`${line.slice(start, end)}=`);
    start = end;
  }
  pieces.push(line.slice(start));
  return pieces.join("\r\n");
}

// Characters an encoded word may carry as they are in any header position (RFC 2047 §5 (3)).
const Q_SAFE = /[A-Za-z0-9!*+\-/]/;
/** Longest encoded word: RFC 2047 allows 75 characters; this leaves room for a header name on the line. */
const MAX_WORD = 60;
const WORD_START = "=?UTF-8?Q?";
const WORD_END = "?=";

/**
 * `text` as RFC 2047 encoded words (Q encoding, UTF-8), separated by spaces so that a header can be folded
 * between them; a character's bytes are never split between two words. Readers drop the space between
 * adjacent encoded words, so the text's own spaces travel inside the words (as "_").
 */
export function encodedWords(text: string): string {
  const words: string[] = [];
  let current = "";
  for (const char of text) {
    const encoded = qEncodeChar(char);
    if (current && WORD_START.length + current.length + encoded.length + WORD_END.length > MAX_WORD) {
      words.push(`${WORD_START}${current}${WORD_END}`);
      current = "";
    }
    current += encoded;
  }
  if (current) words.push(`${WORD_START}${current}${WORD_END}`);
  return words.join(" ");
}

function qEncodeChar(char: string): string {
  if (char === " ") return "_";
  if (Q_SAFE.test(char)) return char;
  let out = "";
  for (const b of Buffer.from(char, "utf8")) out += `=${HEX[b >> 4]}${HEX[b & 15]}`;
  return out;
}

/** A display name as a quoted string: backslash and double quote escaped. */
export function quotedString(text: string): string {
  return `"${text.replace(/[\\"]/g, "\\$&")}"`;
}

/**
 * A header line folded at whitespace so that its lines stay within `width` where a space allows (a folded line
 * starts with the space it was folded at). A run without spaces longer than `width` stays on one line: RFC
 * 5322 allows 998 characters, and encoded words and addresses are shorter than that.
 */
export function foldHeader(line: string, width = LINE): string {
  if (line.length <= width) return line;
  const lines: string[] = [];
  let rest = line;
  while (rest.length > width) {
    // The last space that keeps this line within the width; the first space after it when there is none.
    let at = rest.lastIndexOf(" ", width);
    if (at <= 0) at = rest.indexOf(" ", width);
    if (at <= 0) break;
    lines.push(rest.slice(0, at));
    rest = rest.slice(at);
  }
  lines.push(rest);
  return lines.join("\r\n");
}

/** True when some line of `text` (CRLF-separated) is longer than `width`. */
export function hasLongerLines(text: string, width = LINE): boolean {
  let start = 0;
  for (;;) {
    const end = text.indexOf("\r\n", start);
    if ((end < 0 ? text.length : end) - start > width) return true;
    if (end < 0) return false;
    start = end + 2;
  }
}
