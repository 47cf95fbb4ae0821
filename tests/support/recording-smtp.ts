// A real SMTP server (smtp-server) that keeps, for each message it took, the envelope recipients, the
// Message-ID and the header block: what a receiving server would see, for campaign tests.
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";

export type ReceivedMail = {
  messageId: string;
  to: string[];
  headers: string;
  body: string;
  /** The message exactly as it arrived (for signature checks). */
  raw: string;
};

export async function startRecordingSmtp(): Promise<{
  port: number;
  mails: ReceivedMail[];
  close: () => Promise<void>;
}> {
  const mails: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    allowInsecureAuth: true,
    onAuth: (_a, _s, cb) => cb(null, { user: "test" }),
    disableReverseLookup: true,
    logger: false,
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        const raw = Buffer.concat(chunks).toString("utf8");
        const split = raw.indexOf("\r\n\r\n");
        // Unfolded (RFC 5322 §2.2.3), as a mail reader reads them.
        const headers = raw.slice(0, split).replace(/\r\n[ \t]+/g, " ");
        mails.push({
          messageId: /^Message-ID:\s*(<[^>]+>)/im.exec(headers)?.[1] ?? "(none)",
          to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
          headers,
          body: raw.slice(split + 4),
          raw,
        });
        cb();
      });
    },
  });
  // A killed client resets its connections mid-conversation: expected in these tests.
  server.on("error", () => undefined);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.server.address() as AddressInfo).port,
    mails,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
