// The SMTP client's error: what failed (a code of our own), at which step, and the server's reply when one
// ended it. lib/mail/smtp-errors.ts turns it into words for the user; delivery reads the recipients' outcomes.

import type { ReplyWait } from "@/lib/mail/smtp-awaited-replies";
import type { SmtpReply } from "@/lib/mail/smtp-reply";

export type SmtpErrorCode =
  /** The connection could not be made, or was lost or ended by the server (421). */
  | "ECONNECTION"
  /** A wait ran past its limit (connecting, the greeting, a command's reply, the final reply). */
  | "ETIMEDOUT"
  /** The server refused the credentials (5xx), or could not check them just now (4xx). */
  | "EAUTH"
  /** The sender must sign in and the server offers no AUTH. */
  | "ENOAUTH"
  /** STARTTLS was required and refused, or the TLS handshake failed. */
  | "ETLS"
  /** MAIL, every RCPT, or DATA was refused: no byte of the message was sent. */
  | "EENVELOPE"
  /** The server refused the message after its data. */
  | "EMESSAGE"
  /** The server said something SMTP does not allow at that point. */
  | "EPROTOCOL"
  /** The pool was closed (or the address given is unusable) before the message went. */
  | "ECLOSED"
  /**
   * The message's data was written but its final reply never came (a timeout, or the connection was lost):
   * the server may have taken it. Not a failure of the message: an unknown outcome, tried again under the same
   * Message-ID.
   */
  | "EUNCONFIRMED";

export class SmtpError extends Error {
  override readonly name = "SmtpError";
  readonly code: SmtpErrorCode;
  /** The server's reply that ended the step, when one did. */
  readonly reply?: SmtpReply;
  /** The step: CONN, EHLO, STARTTLS, AUTH <mechanism>, MAIL FROM, RCPT TO, DATA, or API (refused before sending). */
  readonly command?: string;
  /** Node's code for the socket error beneath (a certificate's, say), when there is one. */
  readonly socketCode?: string;
  /** The refused recipient, on each entry of rejectedErrors. */
  recipient?: string;
  /** Recipients the server refused at RCPT, with each refusal in rejectedErrors. */
  rejected?: string[];
  rejectedErrors?: SmtpError[];
  /** Recipients the server took at RCPT (set on EUNCONFIRMED: these may have the message). */
  accepted?: string[];
  /** The largest message the server takes (its EHLO SIZE), on a refusal that may be about size. */
  sizeLimit?: number;
  /** Set on a refused OAuth sign-in (lib/mail/smtp-xoauth2.ts): the fix is to reconnect, not a new password. */
  oauth?: boolean;

  constructor(
    message: string,
    code: SmtpErrorCode,
    details: { reply?: SmtpReply; command?: string; cause?: unknown; socketCode?: string } = {},
  ) {
    super(message, details.cause ? { cause: details.cause } : undefined);
    this.code = code;
    if (details.reply) this.reply = details.reply;
    if (details.command) this.command = details.command;
    if (details.socketCode) this.socketCode = details.socketCode;
  }
}

/** A reply that did not come within its limit: the greeting, a command's, or the final one after the data. */
export function replyTimeoutError(wait: ReplyWait, limitMs: number): SmtpError {
  if (wait === "greeting") return new SmtpError("Greeting never received", "ETIMEDOUT", { command: "CONN" });
  if (wait === "final") {
    const message = `no final reply within ${duration(limitMs)} after the message was sent`;
    return new SmtpError(message, "ETIMEDOUT", { command: "DATA" });
  }
  return new SmtpError(`Timed out after ${duration(limitMs)} waiting for a reply`, "ETIMEDOUT", {
    command: "CONN",
  });
}

/** A reply nobody waited for: a 421 the server sends before closing, or a protocol error. */
export function unexpectedReplyError(reply: SmtpReply): SmtpError {
  const code = reply.code === 421 ? "ECONNECTION" : "EPROTOCOL";
  return new SmtpError(`Unexpected reply: ${reply.text}`, code, { reply, command: "CONN" });
}

function duration(ms: number): string {
  return ms < 10_000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`;
}
