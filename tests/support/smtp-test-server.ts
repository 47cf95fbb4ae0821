// A real SMTP server the test controls: records what it accepted and rejects what the test scripts.
import type { AddressInfo } from "node:net";
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";

export type TestSmtpServer = {
  port: number;
  received: { envelopeTo: string[]; raw: string; parsed: ParsedMail; at: number }[];
  /** The most connections that were open at once. */
  peakConnections: () => number;
  /** Sign-ins tried, and how many of them were refused. */
  logins: () => { tried: number; refused: number };
  close: () => Promise<void>;
};

export async function startTestSmtpServer(
  options: {
    users?: Record<string, string>;
    rejectRecipients?: string[];
    /** Waits this long before answering each message's DATA, like a busy server. */
    dataReplyDelayMs?: number;
    /** How long close() waits for clients' open connections (a server's pooled ones stay open) before ending them. */
    closeTimeoutMs?: number;
  } = {},
): Promise<TestSmtpServer> {
  const received: TestSmtpServer["received"] = [];
  let open = 0;
  let peak = 0;
  const logins = { tried: 0, refused: 0 };
  const server = new SMTPServer({
    authOptional: !options.users,
    allowInsecureAuth: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    disableReverseLookup: true,
    onConnect(_session, cb) {
      peak = Math.max(peak, ++open);
      cb();
    },
    onClose() {
      open--;
    },
    ...(options.closeTimeoutMs !== undefined ? { closeTimeout: options.closeTimeoutMs } : {}),
    onAuth(auth, _session, cb) {
      logins.tried += 1;
      if (options.users?.[auth.username ?? ""] === auth.password) return cb(null, { user: auth.username });
      logins.refused += 1;
      cb(Object.assign(new Error("5.7.8 Authentication credentials invalid"), { responseCode: 535 }));
    },
    onRcptTo(address, _session, cb) {
      if (options.rejectRecipients?.includes(address.address)) {
        return cb(Object.assign(new Error("5.1.1 Mailbox does not exist"), { responseCode: 550 }));
      }
      cb();
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", async () => {
        const raw = Buffer.concat(chunks);
        received.push({
          envelopeTo: session.envelope.rcptTo.map((r) => r.address),
          raw: raw.toString(),
          parsed: await simpleParser(raw),
          at: Date.now(),
        });
        setTimeout(() => cb(null, "2.0.0 Ok: queued as TEST123"), options.dataReplyDelayMs ?? 0);
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.server.address() as AddressInfo).port,
    received,
    peakConnections: () => peak,
    logins: () => ({ ...logins }),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
