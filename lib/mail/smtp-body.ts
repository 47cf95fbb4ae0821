// Prepares a message for sending: CRLF line endings, then either as it is for BDAT (RFC 3030, CHUNKING) or
// dot-stuffed with the final "." for DATA (RFC 5321 §4.5.2). Only the form the connection uses is made.

import { isAscii } from "node:buffer";

const CR = 0x0d;
const LF = 0x0a;
const DOT = 0x2e;
const CRLF = Buffer.from("\r\n");
const TERMINATOR = Buffer.from("\r\n.\r\n");
const DOT_CRLF = Buffer.from(".\r\n");

export type PreparedBody = {
  /** The message with CRLF line endings, as BDAT sends it. */
  readonly chunk: Buffer;
  /** The bytes to write after the 354, ending with "<CRLF>.<CRLF>" (made on first use). */
  readonly data: Buffer;
  /** Size of the message itself, for the SIZE= parameter. */
  readonly size: number;
  /** True when the message has bytes above 127 and needs BODY=8BITMIME. */
  readonly eightBit: boolean;
};

/**
 * Most messages (everything buildMimeMessage makes) already have CRLF endings and no line starting with ".",
 * so the scans only visit line ends, and the BDAT form is the input itself.
 */
export function prepareBody(raw: Buffer | string): PreparedBody {
  const input = typeof raw === "string" ? Buffer.from(raw, "utf8") : raw;
  const chunk = withCrlf(input);
  let data: Buffer | undefined;
  return {
    chunk,
    size: chunk.length,
    eightBit: !isAscii(input),
    get data() {
      return (data ??= dotStuffed(chunk));
    },
  };
}

/** Bare LFs become CRLF; a message that has none is returned as it is. */
function withCrlf(input: Buffer): Buffer {
  const pieces: Buffer[] = [];
  let from = 0;
  for (let lf = input.indexOf(LF); lf >= 0; lf = input.indexOf(LF, lf + 1)) {
    if (lf > 0 && input[lf - 1] === CR) continue;
    pieces.push(input.subarray(from, lf), CRLF);
    from = lf + 1;
  }
  if (pieces.length === 0) return input;
  pieces.push(input.subarray(from));
  return Buffer.concat(pieces);
}

/** A "." is added in front of every line that starts with one, and the terminator at the end. */
function dotStuffed(message: Buffer): Buffer {
  if (message.length === 0) return DOT_CRLF;
  const pieces: Buffer[] = [];
  let from = 0;
  if (message[0] === DOT) pieces.push(Buffer.from("."));
  for (let lf = message.indexOf(LF); lf >= 0; lf = message.indexOf(LF, lf + 1)) {
    if (message[lf + 1] !== DOT) continue;
    pieces.push(message.subarray(from, lf + 1), Buffer.from("."));
    from = lf + 1;
  }
  pieces.push(message.subarray(from));
  const endsWithCrlf =
    message.length >= 2 && message[message.length - 2] === CR && message[message.length - 1] === LF;
  pieces.push(endsWithCrlf ? DOT_CRLF : TERMINATOR);
  return Buffer.concat(pieces);
}
