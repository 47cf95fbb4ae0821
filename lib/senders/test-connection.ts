import "server-only";
import { db } from "@/lib/db/client";
import type { Sender } from "@/lib/generated/prisma/client";
import { verifySmtpSession, type SmtpSessionInfo } from "@/lib/mail/smtp-client";
import { describeSmtpError } from "@/lib/mail/smtp-errors";
import { smtpOptionsFor } from "@/lib/mail/transport";
import { getSenderOrThrow } from "@/lib/senders/senders";

export type ConnectionTestResult = { ok: boolean; message: string; testedAt: string };

/** Connects, negotiates TLS and signs in exactly as sending would, then records and explains the result. */
export async function testSenderConnection(userId: string, senderId: string): Promise<ConnectionTestResult> {
  const sender = await getSenderOrThrow(userId, senderId);
  const result = await runHandshake(sender);
  await db.sender.update({
    where: { id: sender.id },
    data: { lastTestedAt: new Date(result.testedAt), lastTestOk: result.ok, lastTestMessage: result.message },
  });
  return result;
}

/** The same SMTP client as delivery (lib/mail/smtp-client.ts), so a test and a send fail the same way. */
export async function runHandshake(sender: Sender): Promise<ConnectionTestResult> {
  const testedAt = new Date().toISOString();
  const where = sender.kind === "sandbox" ? "the built-in sandbox" : `${sender.host}:${sender.port}`;
  try {
    const session = await verifySmtpSession(await smtpOptionsFor(sender));
    return {
      ...judgeSession(session, where, Boolean(sender.username) || sender.kind === "sandbox"),
      testedAt,
    };
  } catch (error) {
    const failure = describeSmtpError(error, {
      host: sender.host ?? "the sandbox",
      port: sender.port ?? undefined,
      security: sender.kind === "sandbox" ? undefined : (sender.security ?? undefined),
    });
    return { ok: false, message: failure.message, testedAt };
  }
}

/** "Signed in" only when a login happened; a session that never asked for the password says so. */
function judgeSession(
  session: SmtpSessionInfo,
  where: string,
  hasCredentials: boolean,
): { ok: boolean; message: string } {
  const encryption = session.encrypted ? "an encrypted connection" : "an unencrypted connection";
  if (session.authenticated) {
    return { ok: true, message: `Connected to ${where} over ${encryption} and signed in successfully.` };
  }
  if (!hasCredentials) {
    return {
      ok: true,
      message: `Connected to ${where} over ${encryption}. No username is set, so no login was tried; the server may refuse to take mail without one.`,
    };
  }
  const hint = session.startTlsOffered
    ? ' It offers STARTTLS: choose the security setting "STARTTLS" (usually port 587) so the login can happen encrypted.'
    : " Check the port and the security setting, or remove the username if this server takes mail without a login.";
  return {
    ok: false,
    message: `Connected to ${where}, but the server did not ask for or offer a login over ${encryption}, so your username and password were not checked.${hint}`,
  };
}
