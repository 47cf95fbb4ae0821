import "server-only";
import { isCampaignMessageId } from "@/lib/campaigns/unsubscribe";
import { db } from "@/lib/db/client";
import type { ClaimedRow } from "@/lib/delivery/claimed-message";
import {
  announceDeliveryOutcome,
  type DeliveryOutcome,
  type RefusedRecipient,
} from "@/lib/delivery/outcomes";
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
import { deliveryStore } from "@/lib/delivery/store";
import { log } from "@/lib/log/logger";
import type { SmtpError } from "@/lib/mail/smtp-error";
import { describeSmtpError, type SmtpServerDescription } from "@/lib/mail/smtp-errors";
import type { SendResult } from "@/lib/mail/smtp-client";
import { metrics } from "@/lib/observability/metrics";
import type { Prisma } from "@/lib/generated/prisma/client";
import { outcomeEventFor } from "@/lib/webhooks/outcome-events";
import { announceWebhookEvents, type OutboxEvent } from "@/lib/webhooks/outbox";
import { insertWebhookEvents } from "@/lib/webhooks/sql/insert-events";

// What one delivery attempt did, stored: the message's status follows from its recipients
// (lib/delivery/recipient-outcomes.ts). The common case — every recipient accepted at the first attempt — is
// the one batched write of the delivery store (lib/delivery/store.ts), with no per-recipient outcomes stored; everything else (a
// recipient refused, deferred or of unknown outcome, a retry) is one update of the message.

type AttemptMessage = Pick<
  ClaimedRow,
  | "id"
  | "userId"
  | "subject"
  | "messageIdHeader"
  | "to"
  | "cc"
  | "bcc"
  | "attempts"
  | "createdAt"
  | "recipientOutcomes"
>;

/** The fields of an SMTP client error this module reads (lib/mail/smtp-error.ts makes them). */
type SmtpClientError = Pick<SmtpError, "code" | "command" | "reply" | "message" | "recipient"> & {
  /** With EUNCONFIRMED: the recipients the server accepted at RCPT before the final reply went missing. */
  accepted?: string[];
  rejected?: string[];
  rejectedErrors?: SmtpClientError[];
};

/** The server took the message for some recipients (and maybe refused or deferred others). */
export async function recordSendResult(message: AttemptMessage, result: SendResult, text: string) {
  const attempt = fromRejections(message.attempts, result.rejected, result.rejectedErrors);
  attempt.accepted = result.accepted;
  if (message.recipientOutcomes === null && attempt.rejected.length === 0) {
    const outcome: DeliveryOutcome = {
      messageId: message.id,
      userId: message.userId,
      subject: message.subject,
      kind: "delivered",
      accepted: result.accepted,
      reason: null,
      attempts: message.attempts,
      campaign: isCampaignMessageId(message.messageIdHeader),
    };
    const event = await outcomeEventFor(outcome);
    await deliveryStore.recordSent({
      id: message.id,
      sentAt: new Date(),
      text,
      response: result.response,
      accepted: result.accepted,
      rejected: [],
      event,
    });
    metrics.deliveries.inc({ outcome: "delivered" });
    metrics.recipientOutcomes.inc({ outcome: "accepted" }, result.accepted.length);
    announceOutcome(outcome, event);
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
    await settle(
      message,
      all,
      applyAttempt(all, message.recipientOutcomes, attempt),
      text,
      e.reply?.text ?? "",
    );
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
  await recordFailure(message, failure.message, failure.permanent, failure.reply?.text);
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
  const outcome: DeliveryOutcome = {
    messageId: message.id,
    userId: message.userId,
    subject: message.subject,
    kind: giveUp ? "failed" : "retrying",
    accepted: [],
    reason,
    attempts: message.attempts,
    campaign: isCampaignMessageId(message.messageIdHeader),
  };
  const event = await outcomeEventFor(outcome);
  const update = db.message.update({
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
  await commitWithEvent(update, event);
  metrics.deliveries.inc({ outcome: giveUp ? "failed" : "retrying" });
  announceOutcome(outcome, event);
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
    campaign: isCampaignMessageId(message.messageIdHeader),
  };

  if (verdict === "sent" || verdict === "partial") {
    // The timeline reads this step off the row (lib/messages/timeline.ts).
    const outcome: DeliveryOutcome = {
      ...announced,
      kind: "delivered",
      reason: refused.length ? summary : null,
    };
    await updateWithEvent(
      db.message.update({
        where: { id: message.id },
        data: { ...common, status: verdict, sentAt: now, lastError: null },
      }),
      outcome,
    );
    metrics.deliveries.inc({ outcome: "delivered" });
  } else if (verdict === "failed") {
    const reason = messageError && refused.every((o) => o.reason === messageError) ? messageError : summary;
    await updateWithEvent(
      db.message.update({
        where: { id: message.id },
        data: {
          ...common,
          status: "failed",
          lastError: reason,
          events: { create: { type: "failed", detail: summary } },
        },
      }),
      { ...announced, kind: "failed", reason },
    );
    metrics.deliveries.inc({ outcome: "failed" });
  } else {
    const at = retryAt!.toISOString();
    // A notification has room for one reason: the server's words for the first recipient still waiting.
    const waiting = outcomes.find((o) => o.state === "deferred" || o.state === "unknown");
    const reason = waiting?.reply?.text ?? waiting?.reason ?? summary;
    const update = db.message.update({
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
    await updateWithEvent(update, { ...announced, kind: "retrying", reason });
    metrics.deliveries.inc({ outcome: "retrying" });
  }
}

/**
 * Commits a message's update with its outcome's webhook event (lib/webhooks/outbox.ts) — so a crash keeps both
 * or neither — then announces the outcome to this process's listeners (push notifications).
 */
async function updateWithEvent(update: Prisma.PrismaPromise<unknown>, outcome: DeliveryOutcome) {
  const event = await outcomeEventFor(outcome);
  await commitWithEvent(update, event);
  announceOutcome(outcome, event);
}

async function commitWithEvent(update: Prisma.PrismaPromise<unknown>, event: OutboxEvent | null) {
  if (event) await db.$transaction([update, insertWebhookEvents(db, [event])]);
  else await update;
}

function announceOutcome(outcome: DeliveryOutcome, event: OutboxEvent | null) {
  announceDeliveryOutcome(outcome);
  announceWebhookEvents([event]);
}

/** An attempt's refusals, each with the reply the server gave for that recipient. */
function fromRejections(attempt: number, rejected: string[], errors: SmtpClientError[]): AttemptResult {
  return {
    attempt,
    accepted: [],
    unknown: [],
    rejected: errors.map((error, i) => ({
      address: error.recipient ?? rejected[i] ?? "",
      reply: parseSmtpReply(
        error.reply?.text ?? `550 ${error.message.replace(/^Recipient command failed: /, "")}`,
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
