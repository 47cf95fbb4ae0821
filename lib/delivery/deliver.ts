import "server-only";
import { db } from "@/lib/db/client";
import type { Message, Sender } from "@/lib/generated/prisma/client";
import { htmlToPlainText } from "@/lib/mail/plain-text";
import { describeSmtpError } from "@/lib/mail/smtp-errors";
import { getPooledTransport } from "@/lib/mail/transport";
import { nextRetryAt, retryLimits } from "@/lib/delivery/retry";
import type { Recipient } from "@/lib/validation/messages";
import { log } from "@/lib/log/logger";
import { announceDeliveryOutcome } from "@/lib/delivery/outcomes";
import { metrics } from "@/lib/observability/metrics";

type ClaimedMessage = Message & { sender: Sender | null };

/** Sends one claimed message and records the outcome: sent, retry later, or failed with the reason. */
export async function deliverMessage(message: ClaimedMessage): Promise<void> {
  if (!message.sender) {
    await recordFailure(message, "The sender of this message was removed before it could be sent.", true);
    return;
  }
  const sender = message.sender;
  const text = message.text ?? htmlToPlainText(message.html);
  const startedAt = performance.now();
  try {
    const info = await (
      await getPooledTransport(sender)
    ).sendMail({
      messageId: message.messageIdHeader,
      from: { name: message.fromName ?? "", address: message.fromEmail },
      to: (message.to as Recipient[]).map(toAddress),
      cc: (message.cc as Recipient[]).map(toAddress),
      bcc: (message.bcc as Recipient[]).map(toAddress),
      subject: message.subject,
      html: message.html,
      text,
      date: message.createdAt,
    });
    metrics.smtpSendDuration.observe({ result: "accepted" }, (performance.now() - startedAt) / 1000);
    const accepted = info.accepted.map(String);
    const rejected = info.rejected.map(String);
    await db.message.update({
      where: { id: message.id },
      data: {
        status: "sent",
        sentAt: new Date(),
        text,
        leaseUntil: null,
        lastError: null,
        smtpResponse: info.response,
        accepted,
        rejected,
        events: {
          create: {
            type: "sent",
            detail: rejected.length
              ? `Accepted for ${accepted.length}, rejected for ${rejected.join(", ")}. ${info.response}`
              : `Accepted: ${info.response}`,
          },
        },
      },
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
    await recordFailure(message, failure.message, failure.permanent, failure.response);
  }
}

async function recordFailure(message: ClaimedMessage, reason: string, permanent: boolean, response?: string) {
  const retryAt = permanent
    ? null
    : nextRetryAt(message.attempts, message.createdAt, new Date(), retryLimits());
  const giveUp = retryAt === null;
  await db.message.update({
    where: { id: message.id },
    data:
      retryAt === null
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

function toAddress(r: Recipient) {
  return r.name ? { name: r.name, address: r.address } : r.address;
}
