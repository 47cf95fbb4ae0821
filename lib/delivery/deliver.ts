import "server-only";
import { db } from "@/lib/db/client";
import { announceDeliveryOutcome } from "@/lib/delivery/outcomes";
import { recordSent } from "@/lib/delivery/outcome-writer";
import { nextRetryAt, retryLimits } from "@/lib/delivery/retry";
import { holdForSignIn, isSignInFailure } from "@/lib/delivery/sign-in-failures";
import type { ClaimedRow } from "@/lib/delivery/claims";
import type { Sender } from "@/lib/generated/prisma/client";
import { log } from "@/lib/log/logger";
import { buildMimeMessage } from "@/lib/mail/mime-build";
import { plainTextOf } from "@/lib/mail/plain-text";
import { describeSmtpError } from "@/lib/mail/smtp-errors";
import { getSenderPool } from "@/lib/mail/transport";
import { metrics } from "@/lib/observability/metrics";

export type ClaimedMessage = ClaimedRow & { sender: Sender | null };

/**
 * Sends one claimed message and records the outcome: sent, retry later, or failed with the reason. True when
 * the server accepted it (the worker lets a sender whose messages go through hold more of them at once).
 */
export async function deliverMessage(message: ClaimedMessage): Promise<boolean> {
  if (!message.sender) {
    await recordFailure(message, "The sender of this message was removed before it could be sent.", true);
    return false;
  }
  const sender = message.sender;
  const { to, cc, bcc } = message;
  const text = message.text ?? plainTextOf(message.html);
  const startedAt = performance.now();
  let result;
  try {
    // The Message-ID made at enqueue goes out on every attempt; Bcc is in the envelope only.
    const raw = buildMimeMessage({
      messageId: message.messageIdHeader,
      date: message.createdAt,
      from: { name: message.fromName ?? undefined, address: message.fromEmail },
      to,
      cc,
      subject: message.subject,
      html: message.html,
      text,
    });
    const envelope = { from: message.fromEmail, to: [...to, ...cc, ...bcc].map((r) => r.address) };
    result = await (await getSenderPool(sender)).send(envelope, raw);
  } catch (error) {
    metrics.smtpSendDuration.observe({ result: "error" }, (performance.now() - startedAt) / 1000);
    const failure = describeSmtpError(error, {
      host: sender.host ?? "the sandbox",
      port: sender.port ?? undefined,
    });
    log.warn(
      { messageId: message.id, code: (error as { code?: string }).code, permanent: failure.permanent },
      "delivery attempt failed",
    );
    if (isSignInFailure(error)) {
      await holdForSignIn(message, failure.message);
      return false;
    }
    await recordFailure(message, failure.message, failure.permanent, failure.response);
    return false;
  }
  metrics.smtpSendDuration.observe({ result: "accepted" }, (performance.now() - startedAt) / 1000);
  const { accepted, rejected, response } = result;
  await recordSent({
    id: message.id,
    sentAt: new Date(),
    text,
    response,
    accepted,
    rejected,
  });
  metrics.deliveries.inc({ outcome: "delivered" });
  announceDeliveryOutcome({
    messageId: message.id,
    userId: message.userId,
    subject: message.subject,
    kind: "delivered",
    accepted,
    reason: rejected.length ? `Rejected for ${rejected.join(", ")}` : null,
    attempts: message.attempts,
  });
  return true;
}

async function recordFailure(message: ClaimedMessage, reason: string, permanent: boolean, response?: string) {
  const retryAt = permanent
    ? null
    : nextRetryAt(message.attempts, message.createdAt, new Date(), retryLimits());
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
            create: { type: "failed", detail: permanent ? reason : `${reason} ${gaveUpAfter(message)}` },
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

function gaveUpAfter(message: ClaimedMessage): string {
  return `Gave up after ${message.attempts} attempt${message.attempts === 1 ? "" : "s"}.`;
}
