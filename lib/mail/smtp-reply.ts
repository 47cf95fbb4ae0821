// SMTP reply parsing and nodemailer-shaped errors, shared by the connection and the pool.

/** One complete server reply: all lines of a multi-line reply are joined with "\n", as nodemailer does. */
export type SmtpReply = { code: number; text: string };

/**
 * Error fields nodemailer sets; lib/mail/smtp-errors.ts (describeSmtpError) classifies on them, so keeping the
 * same names and values lets the delivery engine switch transports without changing its error handling.
 */
export type SmtpErrorCode =
  | "ECONNECTION"
  | "ETIMEDOUT"
  | "EAUTH"
  | "ENOAUTH"
  | "ETLS"
  | "EENVELOPE"
  | "EMESSAGE"
  | "EPROTOCOL"
  | "ECLOSED"
  /**
   * The message's data was written but its final reply never came (a timeout, or the connection was lost):
   * the server may have taken it. Not a failure of the message: an unknown outcome, tried again under the same
   * Message-ID.
   */
  | "EUNCONFIRMED";

export type SmtpError = Error & {
  code: SmtpErrorCode;
  responseCode?: number;
  response?: string;
  command?: string;
  /** Recipients the server refused at RCPT, with each refusal's full reply in rejectedErrors. */
  rejected?: string[];
  rejectedErrors?: SmtpError[];
  /** Recipients the server took at RCPT (set on EUNCONFIRMED: these may have the message). */
  accepted?: string[];
  /** The refused recipient, on each entry of rejectedErrors. */
  recipient?: string;
  /** The largest message the server takes (its EHLO SIZE), on a refusal that may be about size. */
  sizeLimit?: number;
};

export function smtpError(
  message: string,
  code: SmtpErrorCode,
  details: { reply?: SmtpReply; command?: string; cause?: unknown } = {},
): SmtpError {
  const error = new Error(message, details.cause ? { cause: details.cause } : undefined) as SmtpError;
  error.code = code;
  if (details.reply) {
    error.responseCode = details.reply.code;
    error.response = details.reply.text;
  }
  if (details.command) error.command = details.command;
  return error;
}

/**
 * Splits the byte stream into replies. Replies are ASCII (UTF-8 at worst, in the text part), so latin1 decoding
 * is safe for the framing and cheaper than UTF-8; the text is re-decoded only when a reply is complete.
 */
export class ReplyReader {
  private pending = "";
  private lines: string[] = [];

  constructor(private readonly onReply: (reply: SmtpReply) => void) {}

  push(chunk: Buffer): void {
    // Fast path: a chunk that holds whole replies and nothing left over from the previous chunk.
    let data = this.pending.length ? this.pending + chunk.toString("latin1") : chunk.toString("latin1");
    let start = 0;
    for (;;) {
      const end = data.indexOf("\n", start);
      if (end < 0) break;
      const line = data.charCodeAt(end - 1) === 13 ? data.slice(start, end - 1) : data.slice(start, end);
      start = end + 1;
      this.line(line);
    }
    this.pending = start < data.length ? data.slice(start) : "";
    data = "";
  }

  private line(line: string): void {
    // "250-more" continues a reply, "250 last" (or a bare "250") ends it.
    if (line.length > 3 && line.charCodeAt(3) === 45 /* - */) {
      this.lines.push(line);
      return;
    }
    let text = line;
    if (this.lines.length) {
      this.lines.push(line);
      text = this.lines.join("\n");
      this.lines = [];
    }
    const code = Number(line.slice(0, 3));
    // A reply with no code is a protocol error; -1 makes every "is it 2xx" check fail loudly.
    this.onReply({
      code: Number.isInteger(code) ? code : -1,
      text: hasHighBytes(text) ? Buffer.from(text, "latin1").toString("utf8") : text,
    });
  }
}

function hasHighBytes(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 127) return true;
  return false;
}

/** EHLO keywords that change how we talk; everything else is ignored. */
export type Capabilities = {
  pipelining: boolean;
  /** BDAT (RFC 3030): a message goes with its byte count instead of after a 354. */
  chunking: boolean;
  startTls: boolean;
  eightBitMime: boolean;
  smtpUtf8: boolean;
  /** 0 when the server states no limit. */
  size: number;
  auth: string[];
};

export function parseCapabilities(ehloReply: string): Capabilities {
  const caps: Capabilities = {
    pipelining: false,
    chunking: false,
    startTls: false,
    eightBitMime: false,
    smtpUtf8: false,
    size: 0,
    auth: [],
  };
  // The first line is the server's name; each later line is one keyword with its parameters.
  for (const line of ehloReply.split("\n").slice(1)) {
    const [keyword = "", ...params] = line
      .slice(4)
      .trim()
      .toUpperCase()
      .split(/[\s=]+/);
    if (keyword === "PIPELINING") caps.pipelining = true;
    else if (keyword === "CHUNKING") caps.chunking = true;
    else if (keyword === "STARTTLS") caps.startTls = true;
    else if (keyword === "8BITMIME") caps.eightBitMime = true;
    else if (keyword === "SMTPUTF8") caps.smtpUtf8 = true;
    else if (keyword === "SIZE") caps.size = Number(params[0]) || 0;
    else if (keyword === "AUTH") caps.auth.push(...params.filter(Boolean));
  }
  return caps;
}
