import "server-only";
import { db } from "@/lib/db/client";
import type { Sender } from "@/lib/generated/prisma/client";
import { verifySmtpSession, type SmtpVerification } from "@/lib/mail/smtp-client";
import { clearSignInFailure } from "@/lib/delivery/sign-in-failures";
import { describeSmtpError } from "@/lib/mail/smtp-errors";
import { smtpOptionsFor } from "@/lib/mail/transport";
import { accessTokenFor } from "@/lib/oauth/tokens";
import { getSenderOrThrow } from "@/lib/senders/senders";

export type ConnectionTestResult = {
  ok: boolean;
  message: string;
  testedAt: string;
  /** The SIZE the server announced after EHLO (0: none); absent when no SMTP session got that far. */
  sizeLimit?: number;
};

/**
 * Connects, negotiates TLS and signs in exactly as sending would (the same client, the same AUTH rule, the
 * password only for the server it was entered for), then records and explains the result.
 */
export async function testSenderConnection(userId: string, senderId: string): Promise<ConnectionTestResult> {
  const sender = await getSenderOrThrow(userId, senderId);
  const result = await runHandshake(sender);
  await db.sender.update({
    where: { id: sender.id },
    data: {
      lastTestedAt: new Date(result.testedAt),
      lastTestOk: result.ok,
      lastTestMessage: result.message,
      // What EHLO announced (SIZE, RFC 1870) is the limit Compose and the send path hold messages to.
      ...(result.sizeLimit !== undefined
        ? { smtpSizeLimit: result.sizeLimit > 0 ? result.sizeLimit : null }
        : {}),
    },
  });
  // Signed in: whatever refused the sender's sign-in before is fixed, and its waiting messages go.
  if (result.ok) await clearSignInFailure(sender.id);
  return result;
}

/** The same SMTP client as delivery (lib/mail/smtp-client.ts), so a test and a send fail the same way. */
export async function runHandshake(sender: Sender): Promise<ConnectionTestResult> {
  const testedAt = new Date().toISOString();
  // A Gmail API sender has no SMTP session: its test is that Google still grants a token (refreshing it if due).
  if (sender.kind === "gmail-api") {
    try {
      await accessTokenFor(sender.id);
      return { ok: true, message: "Signed in to Google; messages go through the Gmail API.", testedAt };
    } catch (error) {
      return { ok: false, message: describeSmtpError(error, { host: "Gmail" }).message, testedAt };
    }
  }
  const where = sender.kind === "sandbox" ? "the built-in sandbox" : `${sender.host}:${sender.port}`;
  try {
    const session = await verifySmtpSession(await smtpOptionsFor(sender), sender.fromEmail);
    const hasCredentials = Boolean(sender.username) || sender.kind === "sandbox";
    return { ...judgeSession(session, where, hasCredentials), testedAt, sizeLimit: session.sizeLimit };
  } catch (error) {
    const failure = describeSmtpError(error, {
      host: sender.host ?? "the sandbox",
      port: sender.port ?? undefined,
      security: sender.kind === "sandbox" ? undefined : (sender.security ?? undefined),
    });
    return { ok: false, message: failure.message, testedAt };
  }
}

/** Says what happened: "signed in" only when a login did, and whether the server would take mail at all. */
function judgeSession(
  session: SmtpVerification,
  where: string,
  hasCredentials: boolean,
): { ok: boolean; message: string } {
  const over = session.encrypted ? "an encrypted connection" : "an unencrypted connection";
  // A login is possible once encrypted: the server offers STARTTLS and this sender does not use it.
  const startTlsHint =
    session.startTlsOffered && !session.encrypted
      ? ' It offers STARTTLS: choose the security setting "STARTTLS" (usually port 587).'
      : "";
  const refused = session.mailReply && session.mailReply.code !== 250 ? session.mailReply : undefined;
  const refusal = refused ? ` It refuses to take mail: "${refused.text}".` : "";

  if (session.authenticated) {
    if (refused) {
      return {
        ok: false,
        message: `Connected to ${where} over ${over} and signed in, but the server refuses mail from this address: "${refused.text}".`,
      };
    }
    return { ok: true, message: `Connected to ${where} over ${over} and signed in successfully.` };
  }
  const noLogin = hasCredentials
    ? `the server did not ask for or offer a login over ${over}, so your username and password were not checked`
    : "no username is set, so no login was tried";
  if (refused || (hasCredentials && startTlsHint)) {
    return { ok: false, message: `Connected to ${where}, but ${noLogin}.${refusal}${startTlsHint}` };
  }
  return {
    ok: true,
    message: `Connected to ${where} over ${over}; ${noLogin}. The server takes mail without a login.`,
  };
}
