// A message with files: multipart/mixed around the text and HTML (multipart/alternative), inline images in a
// multipart/related with the alternative part, each file base64 in 76-character lines with a Content-Disposition
// whose name survives any character set (RFC 2231 parameter encoding, RFC 2183 dispositions).
//
// The files are read as streams, a chunk at a time, and encoded straight into one buffer of the message's exact
// size: a message is held once while it is sent (to all its recipients in one SMTP transaction), never its files
// twice or as strings.

import { base64Size } from "@/lib/attachments/encoded-size";
import {
  alternativeBody,
  encodeText,
  header,
  messageHeaders,
  nextBoundary,
  type MimeMessageInput,
} from "@/lib/mail/mime-build";
import { quotedString } from "@/lib/mail/mime-encode";

export type MimeFile = {
  filename: string;
  contentType: string;
  /** Bytes, as stored; the stream must yield exactly this many. */
  size: number;
  /** Set for an inline image the HTML refers to as cid:<contentId>. */
  contentId?: string | null;
  open: () => AsyncIterable<Uint8Array>;
};

/** 57 bytes make one 76-character base64 line. */
const LINE_BYTES = 57;

export async function buildMimeMessageWithFiles(
  input: MimeMessageInput,
  files: readonly MimeFile[],
): Promise<Buffer> {
  if (files.length === 0) throw new Error("buildMimeMessageWithFiles needs at least one file");
  const inline = files.filter((f) => f.contentId);
  const attached = files.filter((f) => !f.contentId);
  const alternative = nextBoundary();
  const related = inline.length ? nextBoundary() : null;
  const mixed = attached.length ? nextBoundary() : null;

  // The text parts, wrapped in the related part when there are inline images.
  let core = `Content-Type: multipart/alternative; boundary="${alternative}"\r\n\r\n${alternativeBody(alternative, input)}`;
  const relatedType = `multipart/related; type="multipart/alternative"; boundary="${related}"`;
  if (related) core = `Content-Type: ${relatedType}\r\n\r\n--${related}\r\n${core}`;

  // The message as pieces: strings, and files to encode where they stand.
  const pieces: (string | MimeFile)[] = [];
  const top = mixed ? `multipart/mixed; boundary="${mixed}"` : relatedType;
  pieces.push(`${messageHeaders(input, top)}\r\n\r\n`);
  if (mixed) pieces.push(`--${mixed}\r\n${core}`);
  else pieces.push(core.slice(core.indexOf("\r\n\r\n") + 4)); // the related part is the top: its headers are above
  if (related) {
    for (const file of inline) pieces.push(`--${related}\r\n${partHeaders(file)}\r\n\r\n`, file);
    pieces.push(`--${related}--\r\n`);
  }
  if (mixed) {
    for (const file of attached) pieces.push(`--${mixed}\r\n${partHeaders(file)}\r\n\r\n`, file);
    pieces.push(`--${mixed}--\r\n`);
  }

  const size = pieces.reduce(
    (sum, p) => sum + (typeof p === "string" ? Buffer.byteLength(p, "utf8") : base64Size(p.size)),
    0,
  );
  const out = Buffer.allocUnsafe(size);
  let at = 0;
  for (const piece of pieces) {
    if (typeof piece === "string") at += out.write(piece, at, "utf8");
    else at = await encodeFileInto(out, at, piece);
  }
  if (at !== size) throw new Error(`MIME size mismatch: wrote ${at} of ${size} bytes`);
  return out;
}

/** Writes the file's base64 lines (each ending in CRLF) at `at`; returns where it ended. */
async function encodeFileInto(out: Buffer, start: number, file: MimeFile): Promise<number> {
  let at = start;
  let carry: Buffer = Buffer.alloc(0);
  let read = 0;
  const end = start + base64Size(file.size);
  const writeLines = (bytes: Buffer) => {
    for (let i = 0; i < bytes.length; i += LINE_BYTES) {
      at += out.write(
        bytes.subarray(i, Math.min(i + LINE_BYTES, bytes.length)).toString("base64"),
        at,
        "latin1",
      );
      at += out.write("\r\n", at, "latin1");
    }
  };
  for await (const chunk of file.open()) {
    read += chunk.byteLength;
    if (read > file.size) throw new Error(`Attachment "${file.filename}" is larger than recorded`);
    const bytes = carry.length
      ? Buffer.concat([carry, chunk])
      : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const whole = bytes.length - (bytes.length % LINE_BYTES);
    writeLines(bytes.subarray(0, whole));
    carry = Buffer.from(bytes.subarray(whole));
  }
  if (read !== file.size) throw new Error(`Attachment "${file.filename}" is shorter than recorded`);
  if (carry.length) writeLines(carry);
  if (at !== end) throw new Error(`Attachment "${file.filename}" encoded to an unexpected size`);
  return at;
}

function partHeaders(file: MimeFile): string {
  const lines = [
    header("Content-Type", `${file.contentType}; ${nameParameter(file.filename)}`),
    "Content-Transfer-Encoding: base64",
    `Content-Disposition: ${file.contentId ? "inline" : "attachment"};${filenameParameters(file.filename)}`,
  ];
  if (file.contentId) lines.push(`Content-ID: <${file.contentId.replace(/[\r\n<>]/g, "")}>`);
  return lines.join("\r\n");
}

const TOKEN_SAFE = /^[\x20-\x7e]*$/;

/** Content-Type's name= for readers that ignore Content-Disposition: a quoted string, or RFC 2047 words. */
function nameParameter(filename: string): string {
  const clean = filename.replace(/[\r\n]+/g, " ");
  return `name=${quotedString(TOKEN_SAFE.test(clean) ? clean : encodeText(clean))}`;
}

// attr-char of RFC 2231 §7: everything else is percent-encoded.
const ATTR_CHAR = /[A-Za-z0-9!#$&+\-.^_`|~]/;
/** Longest piece of a continued parameter, so each header line stays short. */
const PIECE = 60;

/**
 * The filename parameter(s), each on its own folded line: a quoted string for printable ASCII names that fit,
 * otherwise RFC 2231's UTF-8 percent-encoding, split into numbered continuations when long. A character's
 * escape is never split between pieces.
 */
export function filenameParameters(filename: string): string {
  const clean = filename.replace(/[\r\n]+/g, " ");
  if (TOKEN_SAFE.test(clean) && clean.length <= PIECE) return `\r\n filename=${quotedString(clean)}`;
  const encoded: string[] = [];
  for (const char of clean) {
    if (ATTR_CHAR.test(char)) encoded.push(char);
    else {
      let escape = "";
      for (const b of Buffer.from(char, "utf8"))
        escape += `%${b.toString(16).toUpperCase().padStart(2, "0")}`;
      encoded.push(escape);
    }
  }
  const pieces: string[] = [];
  let current = "";
  for (const unit of encoded) {
    if (current && current.length + unit.length > PIECE) {
      pieces.push(current);
      current = "";
    }
    current += unit;
  }
  pieces.push(current);
  if (pieces.length === 1) return `\r\n filename*=utf-8''${pieces[0]}`;
  return pieces.map((p, i) => `\r\n filename*${i}*=${i === 0 ? "utf-8''" : ""}${p}`).join(";");
}
