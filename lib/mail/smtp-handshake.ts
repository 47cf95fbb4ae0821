// Setting a session up once the socket is open (RFC 5321 §4.1.1, RFC 3207, RFC 4954): the greeting, EHLO (HELO
// when refused), STARTTLS as the security setting asks and EHLO again, then signing in (lib/mail/smtp-auth.ts).
// The connection (lib/mail/smtp-connection.ts) supplies the I/O.

import os from "node:os";
import { authenticate, type SmtpCommand } from "@/lib/mail/smtp-auth";
import { ehloName } from "@/lib/mail/ehlo-name";
import { SmtpError } from "@/lib/mail/smtp-error";
import type { SmtpClientOptions } from "@/lib/mail/smtp-options";
import { parseCapabilities, type Capabilities, type SmtpReply } from "@/lib/mail/smtp-reply";

export type HandshakeIo = {
  /** The server's greeting, within the greeting time limit. */
  greeting(): Promise<SmtpReply>;
  command: SmtpCommand;
  /** Is the socket TLS now (implicit TLS, or after STARTTLS)? */
  encrypted(): boolean;
  /** Upgrades the socket after the server's 220 to STARTTLS. */
  startTls(): Promise<void>;
};

export type Handshake = { caps: Capabilities; authenticated: boolean };

/** Resolves once the session may start a transaction; rejects with an SmtpError naming the step that failed. */
export async function handshake(io: HandshakeIo, o: SmtpClientOptions): Promise<Handshake> {
  const greeting = await io.greeting();
  if (greeting.code !== 220) {
    throw new SmtpError(`Invalid greeting: ${greeting.text}`, "EPROTOCOL", {
      reply: greeting,
      command: "CONN",
    });
  }
  const name = o.name ?? ehloName({ hostname: os.hostname() });
  let caps = await hello(io.command, name);
  const wantsTls = o.security === "starttls" || (o.security === "starttls-if-offered" && caps.startTls);
  if (!io.encrypted() && wantsTls) {
    // "starttls" tries STARTTLS even when not advertised: some servers offer it only after asking.
    const reply = await io.command("STARTTLS");
    if (reply.code === 220) {
      await io.startTls();
      caps = await hello(io.command, name);
    } else if (o.security === "starttls") {
      throw new SmtpError(`STARTTLS is required but the server refused it: ${reply.text}`, "ETLS", {
        reply,
        command: "STARTTLS",
      });
    }
  }
  if (o.requireAuth && (!o.auth || caps.auth.length === 0)) {
    throw new SmtpError("The server does not ask for a sign-in (no AUTH offered)", "ENOAUTH", {
      command: "AUTH",
    });
  }
  // A server that offers no AUTH at all (an internal relay) takes mail without it; the session tells "Test
  // connection" that no login happened.
  if (!o.auth || caps.auth.length === 0) return { caps, authenticated: false };
  await authenticate(io.command, o.auth, caps.auth, o.authMethod);
  return { caps, authenticated: true };
}

async function hello(command: SmtpCommand, name: string): Promise<Capabilities> {
  let reply = await command(`EHLO ${name}`);
  if (reply.code === 421) {
    throw new SmtpError(`Server terminates connection: ${reply.text}`, "ECONNECTION", {
      reply,
      command: "EHLO",
    });
  }
  if (reply.code !== 250) {
    reply = await command(`HELO ${name}`);
    if (reply.code !== 250)
      throw new SmtpError(`Invalid HELO: ${reply.text}`, "EPROTOCOL", { reply, command: "HELO" });
  }
  return parseCapabilities(reply.text);
}
