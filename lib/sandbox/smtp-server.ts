import "server-only";
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { log } from "@/lib/log/logger";
import { captureSandboxMail } from "@/lib/sandbox/mailbox";
import { sandboxRuntime } from "@/lib/sandbox/runtime";
import { verifySandboxCredentials } from "@/lib/senders/sandbox-sender";

const MAX_MESSAGE_BYTES = 30 * 1024 * 1024;

export type RunningSandbox = { port: number; close: () => Promise<void> };

/**
 * The built-in mailbox: an SMTP server on loopback that captures every message a user's Sandbox sender sends
 * into that user's Mailbox. Nothing leaves the machine.
 */
export async function startSandboxSmtp({
  host,
  port,
}: {
  host: string;
  port: number;
}): Promise<RunningSandbox> {
  const server = new SMTPServer({
    name: "securevault-sandbox",
    banner: "SecureVault sandbox mailbox",
    authMethods: ["PLAIN", "LOGIN"],
    allowInsecureAuth: true, // loopback only
    disabledCommands: ["STARTTLS"],
    size: MAX_MESSAGE_BYTES,
    logger: false,
    disableReverseLookup: true,
    onAuth(auth, _session, callback) {
      const userId = verifySandboxCredentials(auth.username ?? "", auth.password ?? "");
      if (!userId) return callback(new Error("Invalid sandbox credentials"));
      callback(null, { user: userId });
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("error", callback);
      stream.on("end", () => {
        if ((stream as unknown as { sizeExceeded?: boolean }).sizeExceeded) {
          const err = Object.assign(new Error("Message exceeds the sandbox size limit"), {
            responseCode: 552,
          });
          return callback(err);
        }
        captureMessage(String(session.user), session, Buffer.concat(chunks))
          .then((id) => callback(null, `Captured as ${id}`))
          .catch((error) => {
            log.error({ err: error }, "sandbox could not store a message");
            callback(Object.assign(new Error("Temporary storage failure"), { responseCode: 451 }));
          });
      });
    },
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  server.on("error", (error) => log.error({ err: error }, "sandbox SMTP server error"));
  const bound = (server.server.address() as AddressInfo).port;
  sandboxRuntime.port = bound;
  log.info({ host, port: bound }, "sandbox SMTP server listening");
  return {
    port: bound,
    close: () =>
      new Promise<void>((resolve) => {
        sandboxRuntime.port = null;
        server.close(() => resolve());
      }),
  };
}

type Envelope = { envelope: { mailFrom: false | { address: string }; rcptTo: { address: string }[] } };

function captureMessage(userId: string, session: Envelope, raw: Buffer): Promise<string> {
  const { mailFrom, rcptTo } = session.envelope;
  return captureSandboxMail(
    userId,
    { from: mailFrom ? mailFrom.address : "", to: rcptTo.map((r) => r.address) },
    raw,
  );
}
