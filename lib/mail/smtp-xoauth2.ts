// SASL XOAUTH2: signing in to SMTP with an OAuth 2.0 access token instead of a password, as Gmail and
// Microsoft 365 / Outlook.com take it (developers.google.com/gmail/imap/xoauth2-protocol;
// learn.microsoft.com/exchange/client-developer/legacy-protocols/how-to-authenticate-an-imap-pop-smtp-application-by-using-oauth).
import type { SmtpCommand } from "@/lib/mail/smtp-auth";
import { SmtpError } from "@/lib/mail/smtp-error";
import type { SmtpReply } from "@/lib/mail/smtp-reply";

/** A sign-in with a token fetched at the moment of use: the token outlives no connection it was fetched for. */
export type Xoauth2Credentials = { user: string; accessToken: () => Promise<string> };

/** The initial client response: base64 of "user=<user>^Aauth=Bearer <token>^A^A". */
export function xoauth2InitialResponse(user: string, token: string): string {
  return Buffer.from(`user=${user}\u0001auth=Bearer ${token}\u0001\u0001`, "utf8").toString("base64");
}

/**
 * AUTH XOAUTH2 over a session that is ready for it. A refused token comes back as a 334 "error challenge" (base64
 * JSON such as {"status":"401","schemes":"bearer","scope":"https://mail.google.com/"}); the client must answer
 * it with an empty line, and the server then sends its final 5xx. Throws an EAUTH error marked `oauth`, whose
 * message names the fix (reconnect), never the token.
 */
export async function signInWithXoauth2(
  command: SmtpCommand,
  credentials: Xoauth2Credentials,
): Promise<void> {
  const token = await credentials.accessToken();
  let reply = await command(`AUTH XOAUTH2 ${xoauth2InitialResponse(credentials.user, token)}`);
  let status: string | undefined;
  if (reply.code === 334) {
    status = challengeStatus(reply.text);
    reply = await command("");
  }
  if (reply.code === 235) return;
  const said = status ? `${reply.text} (status ${status})` : reply.text;
  throw oauthSignInError(
    `The mail server refused the access token of ${credentials.user}: reconnect the account in Settings.`,
    { code: reply.code, text: said },
  );
}

function challengeStatus(text: string): string | undefined {
  try {
    const parsed = JSON.parse(Buffer.from(text.trim(), "base64").toString("utf8")) as { status?: unknown };
    return typeof parsed.status === "string" ? parsed.status : undefined;
  } catch {
    return undefined;
  }
}

/** An EAUTH error from an OAuth sign-in: lib/mail/smtp-errors.ts tells the user to reconnect, not to fix a password. */
export function oauthSignInError(message: string, reply?: SmtpReply): SmtpError {
  const error = new SmtpError(message, "EAUTH", { reply, command: "AUTH XOAUTH2" });
  error.oauth = true;
  return error;
}
