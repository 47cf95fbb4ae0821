import "server-only";
import { recordFailure, recordSendError, recordSendResult } from "@/lib/delivery/attempt-outcome";
import type { ClaimedMessage } from "@/lib/delivery/claimed-message";
import { holdForSignIn, isSignInFailure } from "@/lib/delivery/sign-in-failures";
import { envelopeAddresses, pendingRecipients } from "@/lib/delivery/recipient-outcomes";
import { listUnsubscribeHeaders } from "@/lib/campaigns/unsubscribe";
import { buildMimeMessage, type MimeMessageInput } from "@/lib/mail/mime-build";
import { buildMimeMessageWithFiles } from "@/lib/mail/mime-attachments";
import { attachmentsOfMessage } from "@/lib/attachments/attachments";
import { attachmentStorage } from "@/lib/attachments/storage";
import { signDkim } from "@/lib/mail/dkim";
import { dkimKeyOf } from "@/lib/senders/dkim";
import { plainTextOf } from "@/lib/mail/plain-text";
import { describeSmtpError } from "@/lib/mail/smtp-errors";
import { getSenderPool } from "@/lib/mail/transport";
import { limitsFor } from "@/lib/delivery/sender-limits";
import { gmailApiTransport } from "@/lib/oauth/gmail-api";
import { log } from "@/lib/log/logger";
import { metrics } from "@/lib/observability/metrics";

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
    const mime: MimeMessageInput = {
      messageId: message.messageIdHeader,
      date: message.createdAt,
      from: { name: message.fromName ?? undefined, address: message.fromEmail },
      to,
      cc,
      subject: message.subject,
      html: message.html,
      text,
      inReplyTo: message.inReplyTo,
      references: message.references,
      extraHeaders: listUnsubscribeHeaders(message),
    };
    const built = message.attachmentBytes > 0 ? await withFiles(message, mime) : buildMimeMessage(mime);
    if (!built) return false;
    // Signed last, over the headers as they go out (List-Unsubscribe included), when the sender has a key.
    const dkim = dkimKeyOf(sender);
    const raw = dkim ? signDkim(built, dkim) : built;
    // A Google sender in gmail-api mode sends over HTTPS (lib/oauth/gmail-api.ts); every other over SMTP.
    const transport =
      sender.kind === "gmail-api"
        ? gmailApiTransport(sender)
        : await getSenderPool(sender, limitsFor(sender));
    result = await transport.send({ from: message.fromEmail, to: pending }, raw);
  } catch (error) {
    metrics.smtpSendDuration.observe({ result: "error" }, (performance.now() - startedAt) / 1000);
    const server = {
      host: sender.host ?? (sender.kind === "gmail-api" ? "Gmail" : "the sandbox"),
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

/**
 * The message with its files read from storage. A file gone from storage cannot come back by retrying: the
 * message fails for good, saying which file (null then; never sent without it).
 */
async function withFiles(message: ClaimedMessage, mime: MimeMessageInput): Promise<Buffer | null> {
  const files = await attachmentsOfMessage(message.id);
  const storage = attachmentStorage();
  try {
    return await buildMimeMessageWithFiles(
      mime,
      files.map((f) => ({
        filename: f.filename,
        contentType: f.contentType,
        size: f.size,
        contentId: f.contentId,
        // 57 × 1024 bytes: whole base64 lines per chunk.
        open: () => storage.read(f.storageKey, { highWaterMark: 57 * 1024 }),
      })),
    );
  } catch (error) {
    log.error({ messageId: message.id, err: error }, "attachment unreadable");
    await recordFailure(
      message,
      "An attached file could not be read from storage; the message was not sent without it.",
      true,
    );
    return null;
  }
}
