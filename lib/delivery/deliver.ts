import "server-only";
import { recordFailure, recordSendError, recordSendResult } from "@/lib/delivery/attempt-outcome";
import { holdForSignIn, isSignInFailure } from "@/lib/delivery/sign-in-failures";
import type { ClaimedRow } from "@/lib/delivery/claims";
import { envelopeAddresses, pendingRecipients } from "@/lib/delivery/recipient-outcomes";
import type { Sender } from "@/lib/generated/prisma/client";
import { buildMimeMessage } from "@/lib/mail/mime-build";
import { plainTextOf } from "@/lib/mail/plain-text";
import { describeSmtpError } from "@/lib/mail/smtp-errors";
import { getSenderPool } from "@/lib/mail/transport";
import { log } from "@/lib/log/logger";
import { metrics } from "@/lib/observability/metrics";

export type ClaimedMessage = ClaimedRow & { sender: Sender | null };

/**
 * Sends one claimed message to its recipients still pending — all of them at the first attempt; after that
 * only those deferred or of unknown outcome, never again to one that accepted it — and records the outcome
 * (lib/delivery/attempt-outcome.ts). True when the server took it (the worker lets a sender whose messages go
 * through hold more of them at once); a refused sign-in holds the sender's messages instead (sign-in-failures).
 */
export async function deliverMessage(message: ClaimedMessage): Promise<boolean> {
  if (!message.sender) {
    await recordFailure(message, "The sender of this message was removed before it could be sent.", true);
    return false;
  }
  const sender = message.sender;
  const { to, cc } = message;
  const text = message.text ?? plainTextOf(message.html);
  const pending = pendingRecipients(envelopeAddresses(message), message.recipientOutcomes);
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
    result = await (await getSenderPool(sender)).send({ from: message.fromEmail, to: pending }, raw);
  } catch (error) {
    metrics.smtpSendDuration.observe({ result: "error" }, (performance.now() - startedAt) / 1000);
    const server = {
      host: sender.host ?? "the sandbox",
      port: sender.port ?? undefined,
      security: sender.security ?? undefined,
    };
    if (isSignInFailure(error)) {
      const { code } = error as { code?: string };
      log.warn({ messageId: message.id, code, held: "sign-in" }, "delivery attempt failed");
      await holdForSignIn(message, describeSmtpError(error, server).message);
      return false;
    }
    await recordSendError(message, error, server, text);
    return false;
  }
  metrics.smtpSendDuration.observe({ result: "accepted" }, (performance.now() - startedAt) / 1000);
  await recordSendResult(message, result, text);
  return true;
}
