// Prepares a message for the DATA phase: CRLF line endings, dot-stuffing (RFC 5321 §4.5.2) and the final ".".

import { isAscii } from "node:buffer";

const CR = 0x0d;
const LF = 0x0a;
const DOT = 0x2e;
const TERMINATOR = Buffer.from("\r\n.\r\n");
const DOT_CRLF = Buffer.from(".\r\n");

export type PreparedBody = {
  /** The bytes to write after the 354, ending with "<CRLF>.<CRLF>". */
  data: Buffer;
  /** Size of the message itself, for the SIZE= parameter. */
  size: number;
  /** True when the message has bytes above 127 and needs BODY=8BITMIME. */
  eightBit: boolean;
};

/**
 * Most messages (everything buildMimeMessage makes) already have CRLF endings and no line starting with ".",
 * so the scan only visits line ends and the body is copied once, together with the terminator.
 */
export function prepareBody(raw: Buffer | string): PreparedBody {
  const input = typeof raw === "string" ? Buffer.from(raw, "utf8") : raw;
  const eightBit = !isAscii(input);
  if (input.length === 0) return { data: DOT_CRLF, size: 0, eightBit };

  const pieces: Buffer[] = [];
  let from = 0;
  // A leading "." is stuffed like any other line's.
  if (input[0] === DOT) {
    pieces.push(Buffer.from("."));
  }
  let lf = input.indexOf(LF);
  while (lf >= 0) {
    const bareLf = lf === 0 || input[lf - 1] !== CR;
    const dotNext = input[lf + 1] === DOT;
    if (bareLf || dotNext) {
      if (bareLf) {
        pieces.push(input.subarray(from, lf), Buffer.from("\r\n"));
      } else {
        pieces.push(input.subarray(from, lf + 1));
      }
      if (dotNext) pieces.push(Buffer.from("."));
      from = lf + 1;
    }
    lf = input.indexOf(LF, lf + 1);
  }
  pieces.push(input.subarray(from));
  const endsWithCrlf = input.length >= 2 && input[input.length - 2] === CR && input[input.length - 1] === LF;
  const endsWithLf = input[input.length - 1] === LF; // a bare final LF was already turned into CRLF above
  pieces.push(endsWithCrlf || endsWithLf ? DOT_CRLF : TERMINATOR);
  const data = Buffer.concat(pieces);
  return { data, size: data.length - 3, eightBit };
}
