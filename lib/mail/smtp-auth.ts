// Signing in (RFC 4954): one function per mechanism, chosen from what the server offers. A new mechanism is one
// more entry in `mechanisms` and, if it must be asked for, in chooseMechanism.

import { SmtpError } from "@/lib/mail/smtp-error";
import type { SmtpCredentials } from "@/lib/mail/smtp-options";
import type { SmtpReply } from "@/lib/mail/smtp-reply";
import { signInWithXoauth2, type Xoauth2Credentials } from "@/lib/mail/smtp-xoauth2";

/** Writes one command line and resolves with the server's reply to it. */
export type SmtpCommand = (line: string) => Promise<SmtpReply>;

export type AuthMechanism = "PLAIN" | "LOGIN";

const b64 = (s: string) => Buffer.from(s, "utf8").toString("base64");

/** Each mechanism's exchange; resolves with the server's last reply (235 when signed in). */
const mechanisms: Record<
  AuthMechanism,
  (command: SmtpCommand, credentials: SmtpCredentials) => Promise<SmtpReply>
> = {
  PLAIN: (command, { user, pass }) => command(`AUTH PLAIN ${b64(`\u0000${user}\u0000${pass}`)}`),
  async LOGIN(command, { user, pass }) {
    let reply = await command("AUTH LOGIN");
    if (reply.code === 334) reply = await command(b64(user));
    if (reply.code === 334) reply = await command(b64(pass));
    return reply;
  },
};

/** PLAIN when the server offers it (or names nothing we know), LOGIN when that is all it offers. */
export function chooseMechanism(offered: string[], wanted?: AuthMechanism): AuthMechanism {
  if (wanted) return wanted;
  return offered.includes("PLAIN") || !offered.includes("LOGIN") ? "PLAIN" : "LOGIN";
}

/**
 * Signs in with `credentials`: a password (PLAIN or LOGIN), or an OAuth access token (XOAUTH2,
 * lib/mail/smtp-xoauth2.ts); rejects with an EAUTH error carrying the server's refusal.
 */
export async function authenticate(
  command: SmtpCommand,
  credentials: SmtpCredentials | Xoauth2Credentials,
  offered: string[],
  wanted?: AuthMechanism,
): Promise<void> {
  if ("accessToken" in credentials) return signInWithXoauth2(command, credentials);
  const mechanism = chooseMechanism(offered, wanted);
  const reply = await mechanisms[mechanism](command, credentials);
  if (reply.code !== 235) {
    throw new SmtpError(`Invalid login: ${reply.text}`, "EAUTH", { reply, command: `AUTH ${mechanism}` });
  }
}
