// One message's transaction as the connection (lib/mail/smtp-connection.ts) carries it: the job, and how the
// server's replies to MAIL, RCPT and the message data are judged. No I/O here.

import type { PreparedBody } from "@/lib/mail/smtp-body";
import { SmtpError } from "@/lib/mail/smtp-error";
import type { Capabilities, SmtpReply } from "@/lib/mail/smtp-reply";

export type SendResult = {
  accepted: string[];
  rejected: string[];
  rejectedErrors: SmtpError[];
  response: string;
};

export type Job = {
  from: string;
  to: string[];
  body: PreparedBody;
  resolve: (result: SendResult) => void;
  reject: (error: SmtpError) => void;
  accepted: string[];
  rejected: string[];
  rejectedErrors: SmtpError[];
  mailError?: SmtpError;
  /** Set once any byte of the message was written: from then on a lost reply is an unknown outcome. */
  dataWritten?: boolean;
};

/** MAIL FROM's parameters: the size, 8-bit content, internationalised addresses, as the server supports. */
export function mailParams(job: Job, caps: Capabilities): string {
  let params = "";
  if (caps.size) params += ` SIZE=${job.body.size}`;
  if (job.body.eightBit && caps.eightBitMime) params += " BODY=8BITMIME";
  if (caps.smtpUtf8 && needsSmtpUtf8(job)) params += " SMTPUTF8";
  return params;
}

export function judgeMail(job: Job, reply: SmtpReply, caps: Capabilities): void {
  if (reply.code !== 250) {
    job.mailError = withSizeLimit(
      new SmtpError(`Mail command failed: ${reply.text}`, "EENVELOPE", { reply, command: "MAIL FROM" }),
      caps,
    );
  }
}

export function judgeRcpt(job: Job, address: string, reply: SmtpReply, caps: Capabilities): void {
  if (job.mailError) return; // the RCPT replies after a refused MAIL say nothing about the recipients
  if (reply.code === 250 || reply.code === 251) {
    job.accepted.push(address);
    return;
  }
  const error = withSizeLimit(
    new SmtpError(`Recipient command failed: ${reply.text}`, "EENVELOPE", { reply, command: "RCPT TO" }),
    caps,
  );
  error.recipient = address;
  job.rejected.push(address);
  job.rejectedErrors.push(error);
}

/**
 * Why the message must not go, once every envelope reply is in: a refused MAIL wins; with no recipient accepted,
 * a deferral (4xx) wins over a refusal. Undefined when MAIL and at least one RCPT were accepted.
 */
export function envelopeError(job: Job): SmtpError | undefined {
  if (job.mailError) return job.mailError;
  if (job.accepted.length) return undefined;
  const chosen = job.rejectedErrors.find((e) => (e.reply?.code ?? 500) < 500) ?? job.rejectedErrors.at(-1);
  const error = new SmtpError(
    `Can't send mail - all recipients were rejected${chosen?.reply ? `: ${chosen.reply.text}` : ""}`,
    "EENVELOPE",
    { command: "RCPT TO", reply: chosen?.reply },
  );
  if (chosen?.sizeLimit) error.sizeLimit = chosen.sizeLimit;
  error.rejected = job.rejected;
  error.rejectedErrors = job.rejectedErrors;
  return error;
}

/** The server's verdict on a message's content (after its data, or BDAT LAST): undefined when it took it. */
export function verdictError(reply: SmtpReply, caps: Capabilities): SmtpError | undefined {
  if (reply.code === 250) return undefined;
  return withSizeLimit(
    new SmtpError(`Message failed: ${reply.text}`, "EMESSAGE", { reply, command: "DATA" }),
    caps,
  );
}

/** A refused DATA command (no 354). */
export function dataRefused(reply: SmtpReply): SmtpError {
  return new SmtpError(`Data command failed: ${reply.text}`, "EENVELOPE", { reply, command: "DATA" });
}

export function resultOf(job: Job, response: string): SendResult {
  return { accepted: job.accepted, rejected: job.rejected, rejectedErrors: job.rejectedErrors, response };
}

/** The outcome of a message whose final reply never came, with what its envelope's replies said. */
export function unconfirmed(job: Job, cause: SmtpError): SmtpError {
  const what =
    cause.code === "ETIMEDOUT" && cause.command === "DATA"
      ? cause.message
      : `the connection was dropped after the message was sent, before the server's final reply (${cause.message})`;
  const error = new SmtpError(what, "EUNCONFIRMED", { command: "DATA", cause });
  error.accepted = [...job.accepted];
  error.rejected = [...job.rejected];
  error.rejectedErrors = [...job.rejectedErrors];
  return error;
}

/** A 552 may be about the message's size: the server's stated limit goes with it, for the explanation. */
function withSizeLimit(error: SmtpError, caps: Capabilities): SmtpError {
  if (error.reply?.code === 552 && caps.size) error.sizeLimit = caps.size;
  return error;
}

function needsSmtpUtf8(job: Job): boolean {
  const ascii = (s: string) => /^[\x00-\x7f]*$/.test(s);
  return !ascii(job.from) || !job.to.every(ascii);
}
