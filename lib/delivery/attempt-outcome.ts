import "server-only";
import { db } from "@/lib/db/client";
import type { ClaimedRow } from "@/lib/delivery/claims";
import { announceDeliveryOutcome, type RefusedRecipient } from "@/lib/delivery/outcomes";
import { recordSent } from "@/lib/delivery/outcome-writer";
import {
  applyAttempt,
  describeOutcomes,
  envelopeAddresses,
  gaveUpReason,
  messageStatusOf,
  parseSmtpReply,
  pendingRecipients,
  refusePending,
  type AttemptResult,
  type RecipientOutcome,
} from "@/lib/delivery/recipient-outcomes";
import { nextRetryAt, retryLimits } from "@/lib/delivery/retry";
import { log } from "@/lib/log/logger";
import { describeSmtpError, type SmtpServerDescription } from "@/lib/mail/smtp-errors";
import type { SendResult } from "@/lib/mail/smtp-client";
import { metrics } from "@/lib/observability/metrics";

// What one delivery attempt did, stored: the message's status follows from its recipients
// (lib/delivery/recipient-outcomes.ts). The common case — every recipient accepted at the first attempt — is
// the one batched write of outcome-writer.ts, with no per-recipient outcomes stored; everything else (a
// recipient refused, deferred or of unknown outcome, a retry) is one update of the message.

type AttemptMessage = Pick<
  ClaimedRow,
  "id" | "userId" | "subject" | "to" | "cc" | "bcc" | "attempts" | "createdAt" | "recipientOutcomes"
>;

/** The fields of an SMTP client error this module reads (lib/mail/smtp-reply.ts makes them). */
type SmtpClientError = Error & {
  code?: string;
  command?: string;
  responseCode?: number;
  response?: string;
  /** With EUNCONFIRMED: the recipients the server accepted at RCPT before the final reply went missing. */
  accepted?: string[];
  rejected?: string[];
  rejectedErrors?: (SmtpClientError & { recipient?: string })[];
};

/** The server took the message for some recipients (and maybe refused or deferred others). */
export async function recordSendResult(message: AttemptMessage, result: SendResult, text: string) {
  const attempt = fromRejections(message.attempts, result.rejected, result.rejectedErrors);
  attempt.accepted = result.accepted;
  if (message.recipientOutcomes === null && attempt.rejected.length === 0) {
    await recordSent({
      id: message.id,
      sentAt: new Date(),
      text,
      response: result.response,
      accepted: result.accepted,
      rejected: [],
    });
    metrics.deliveries.inc({ outcome: "delivered" });
    metrics.recipientOutcomes.inc({ outcome: "accepted" }, result.accepted.length);
    announceDeliveryOutcome({
      messageId: message.id,
      userId: message.userId,
      subject: message.subject,
      kind: "delivered",
      accepted: result.accepted,
      reason: null,
      attempts: message.attempts,
    });
    return;
  }
  countRecipients(attempt);
  const all = envelopeAddresses(message);
  await settle(message, all, applyAttempt(all, message.recipientOutcomes, attempt), text, result.response);
}

/**
 * The attempt ended in an error. Refusals of every recipient tried, and a message sent with no final reply
 * (EUNCONFIRMED), are per-recipient outcomes; anything else (no connection, a refused login, a refused
 * message) concerns the whole message.
 */
export async function recordSendError(
  message: AttemptMessage,
  error: unknown,
  server: SmtpServerDescription,
  text: string,
) {
  const e = (error ?? {}) as SmtpClientError;
  const all = envelopeAddresses(message);
  if (e.code === "EUNCONFIRMED") {
    const attempt = fromRejections(message.attempts, e.rejected ?? [], e.rejectedErrors ?? []);
    const refused = new Set(attempt.rejected.map((r) => r.address));
    attempt.unknown =
      e.accepted ?? pendingRecipients(all, message.recipientOutcomes).filter((a) => !refused.has(a));
    countRecipients(attempt);
    log.warn({ messageId: message.id, unknown: attempt.unknown.length }, "no final reply: outcome unknown");
    await settle(message, all, applyAttempt(all, message.recipientOutcomes, attempt), text, e.response ?? "");
    return;
  }
  if (e.code === "EENVELOPE" && e.command === "RCPT TO" && e.rejectedErrors?.length) {
    const attempt = fromRejections(message.attempts, e.rejected ?? [], e.rejectedErrors);
    countRecipients(attempt);
    await settle(message, all, applyAttempt(all, message.recipientOutcomes, attempt), text, "");
    return;
  }
  const failure = describeSmtpError(error, server);
  log.warn({ messageId: message.id, code: e.code, permanent: failure.permanent }, "delivery attempt failed");
  await recordFailure(message, failure.message, failure.permanent, failure.response);
}

/**
 * A failure of the whole message: retried later when temporary, else it ends. Recipients an earlier attempt
 * settled keep their outcome; the ones still pending are then refused with the reason.
 */
export async function recordFailure(
  message: AttemptMessage,
  reason: string,
  permanent: boolean,
  response?: string,
) {
  const retryAt = permanent
    ? null
    : nextRetryAt(message.attempts, message.createdAt, new Date(), retryLimits());
  if (retryAt === null && message.recipientOutcomes !== null) {
    const all = envelopeAddresses(message);
    const outcomes = refusePending(all, message.recipientOutcomes, message.attempts, (last) =>
      permanent ? reason : gaveUpReason(message.attempts, last, reason),
    );
    await settle(message, all, outcomes, null, response ?? "", reason);
    return;
  }
  const giveUp = retryAt === null;
  await db.message.update({
    where: { id: message.id },
    data: giveUp
      ? {
          status: "failed",
          leaseUntil: null,
          lastError: reason,
          smtpResponse: response ?? null,
          events: {
            create: {
              type: "failed",
              detail: permanent ? reason : `${reason} Gave up after ${attemptsText(message.attempts)}.`,
            },
          },
        }
      : {
          status: "queued",
          leaseUntil: null,
          nextAttemptAt: retryAt,
          lastError: reason,
          smtpResponse: response ?? null,
          events: { create: { type: "retry", detail: `${reason} Next try at ${retryAt.toISOString()}.` } },
        },
  });
  metrics.deliveries.inc({ outcome: giveUp ? "failed" : "retrying" });
  announceDeliveryOutcome({
    messageId: message.id,
    userId: message.userId,
    subject: message.subject,
    kind: giveUp ? "failed" : "retrying",
    accepted: [],
    reason,
    attempts: message.attempts,
  });
}

/**
 * Stores the recipients' outcomes and the status they make: sent or partly delivered, failed, or queued for
 * another attempt at the recipients still pending (the last attempt allowed refuses them instead).
 */
async function settle(
  message: AttemptMessage,
  all: string[],
  settled: RecipientOutcome[],
  text: string | null,
  response: string,
  messageError?: string,
) {
  const now = new Date();
  let outcomes = settled;
  let verdict = messageStatusOf(all, outcomes);
  let retryAt: Date | null = null;
  if (verdict === "retrying") {
    retryAt = nextRetryAt(message.attempts, message.createdAt, now, retryLimits());
    if (retryAt === null) {
      outcomes = refusePending(all, outcomes, message.attempts, (last) =>
        gaveUpReason(message.attempts, last, "no final reply"),
      );
      verdict = messageStatusOf(all, outcomes);
    }
  }
  const accepted = outcomes.filter((o) => o.state === "accepted").map((o) => o.address);
  const refused = outcomes.filter((o) => o.state === "refused");
  const summary = describeOutcomes(outcomes);
  const common = {
    leaseUntil: null,
    recipientOutcomes: outcomes,
    accepted,
    rejected: refused.map((o) => o.address),
    ...(text === null ? {} : { text }),
    ...(response ? { smtpResponse: response } : {}),
  };
  const announced = {
    messageId: message.id,
    userId: message.userId,
    subject: message.subject,
    accepted,
    attempts: message.attempts,
    total: all.length,
    refused: refused.map(refusedRecipient),
  };

  if (verdict === "sent" || verdict === "partial") {
    // The timeline reads this step off the row (lib/messages/timeline.ts).
    await db.message.update({
      where: { id: message.id },
      data: { ...common, status: verdict, sentAt: now, lastError: null },
    });
    metrics.deliveries.inc({ outcome: "delivered" });
    announceDeliveryOutcome({ ...announced, kind: "delivered", reason: refused.length ? summary : null });
  } else if (verdict === "failed") {
    const reason = messageError && refused.every((o) => o.reason === messageError) ? messageError : summary;
    await db.message.update({
      where: { id: message.id },
      data: {
        ...common,
        status: "failed",
        lastError: reason,
        events: { create: { type: "failed", detail: summary } },
      },
    });
    metrics.deliveries.inc({ outcome: "failed" });
    announceDeliveryOutcome({ ...announced, kind: "failed", reason });
  } else {
    const at = retryAt!.toISOString();
    await db.message.update({
      where: { id: message.id },
      data: {
        ...common,
        status: "queued",
        nextAttemptAt: retryAt!,
        lastError: summary,
        // Some recipients have it: it counts as sent for the sender's daily limit from now.
        ...(accepted.length ? { sentAt: now } : {}),
        events: { create: { type: "retry", detail: `${summary} — will retry at ${at}.` } },
      },
    });
    metrics.deliveries.inc({ outcome: "retrying" });
    // A notification has room for one reason: the server's words for the first recipient still waiting.
    const waiting = outcomes.find((o) => o.state === "deferred" || o.state === "unknown");
    const reason = waiting?.reply?.text ?? waiting?.reason ?? summary;
    announceDeliveryOutcome({ ...announced, kind: "retrying", reason });
  }
}

/** An attempt's refusals, each with the reply the server gave for that recipient. */
function fromRejections(
  attempt: number,
  rejected: string[],
  errors: (SmtpClientError & { recipient?: string })[],
): AttemptResult {
  return {
    attempt,
    accepted: [],
    unknown: [],
    rejected: errors.map((error, i) => ({
      address: error.recipient ?? rejected[i] ?? "",
      reply: parseSmtpReply(
        error.response ??
          `${error.responseCode ?? 550} ${error.message.replace(/^Recipient command failed: /, "")}`,
      ),
    })),
  };
}

function countRecipients(attempt: AttemptResult) {
  const count = (outcome: string, n: number) => n > 0 && metrics.recipientOutcomes.inc({ outcome }, n);
  count("accepted", attempt.accepted.length);
  count("unknown", attempt.unknown.length);
  const deferred = attempt.rejected.filter((r) => r.reply.code >= 400 && r.reply.code < 500).length;
  count("deferred", deferred);
  count("refused", attempt.rejected.length - deferred);
}

function refusedRecipient(o: RecipientOutcome): RefusedRecipient {
  return { address: o.address, reason: o.reason ?? o.reply?.text ?? null };
}

function attemptsText(attempts: number): string {
  return `${attempts} attempt${attempts === 1 ? "" : "s"}`;
}
