// SMTP replies: reading them off the byte stream, and the capabilities an EHLO reply announces.

/** One complete server reply: its code, and its text with every line (a multi-line reply's joined with "\n"). */
export type SmtpReply = { code: number; text: string };

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
