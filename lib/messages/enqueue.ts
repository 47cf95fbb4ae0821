import "server-only";
import { createHash, randomUUID } from "node:crypto";
import { ApiError } from "@/lib/api/errors";
import type { PublicUser } from "@/lib/auth/users";
import { env } from "@/lib/env";
import { db } from "@/lib/db/client";
import { wakeDeliveryWorker } from "@/lib/delivery/wake";
import { sanitizeEmailHtml } from "@/lib/mail/sanitize";
import { newTimeOrderedId } from "@/lib/db/ids";
import {
  insertMessage,
  insertMessageWithAttachments,
  type NewMessageRow,
} from "@/lib/messages/insert-batcher";
import { resolveAttachmentsOrThrow } from "@/lib/attachments/attachments";
import { attachmentWireSize, estimatedMessageSize, formatSize } from "@/lib/attachments/encoded-size";
import { messageSizeLimitOf } from "@/lib/attachments/size-limits";
import type { Attachment } from "@/lib/generated/prisma/client";
import { toMessageSummary, type MessageSummary } from "@/lib/messages/message-view";
import { assertWithinDailyQuota, countSentMessage } from "@/lib/messages/send-quota";
import { limits } from "@/lib/rate-limit/limits";
import { getSendingIdentityOrThrow } from "@/lib/senders/senders";
import type { SendMessageBody } from "@/lib/validation/messages";
import { queuedEventFor } from "@/lib/webhooks/outcome-events";
import { announceWebhookEvents } from "@/lib/webhooks/outbox";

export type EnqueueResult = { message: MessageSummary; replayed: boolean };

/**
 * Stores a message with its outbox state (status "queued") in one INSERT. The client's idempotency key makes
 * this safe to repeat: the same key and body return the stored message; the same key with another body is a
 * 409. The happy path is a single (group-committed) write; lookups happen only when the key is taken.
 */
export async function enqueueMessage(
  user: Pick<PublicUser, "id" | "undoSendSeconds">,
  input: SendMessageBody,
): Promise<EnqueueResult> {
  const userId = user.id;
  let attachments: Attachment[];
  let sender;
  try {
    attachments = await resolveAttachmentsOrThrow(userId, input.attachmentIds);
    sender = await getSendingIdentityOrThrow(userId, input.senderId);
  } catch (error) {
    // A replay of a message whose sender was removed since still finds the stored message.
    const existing = await findByKey(userId, input.idempotencyKey);
    if (existing) return replay(existing, await hashOfStored(existing.id, input));
    throw error;
  }
  const requestHash = hashRequest(input, attachments);

  const recipients = [...input.to, ...input.cc, ...input.bcc];
  if (input.forwardOf) await assertForwardableOrThrow(userId, input.forwardOf);
  try {
    assertWithinSizeLimit(sender, input.html, attachments);
    await assertSendAllowed(userId, sender.id, recipients.length);
  } catch (error) {
    // Limits apply to new messages; an offline replay of one already stored still gets its answer.
    const existing = await findByKey(userId, input.idempotencyKey);
    if (existing) return replay(existing, requestHash);
    throw error;
  }

  const now = new Date();
  const sendAt = input.sendAt ? new Date(input.sendAt) : null;
  // Held until the later of the schedule and the undo window, so Undo can still cancel it.
  const undoUntil = now.getTime() + (user.undoSendSeconds ?? env.UNDO_SEND_SECONDS) * 1000;
  const data: NewMessageRow = {
    id: newTimeOrderedId(now.getTime()),
    userId,
    senderId: sender.id,
    idempotencyKey: input.idempotencyKey,
    requestHash,
    messageIdHeader: makeMessageId(sender.fromEmail),
    fromName: sender.fromName,
    fromEmail: sender.fromEmail,
    to: input.to,
    cc: input.cc,
    bcc: input.bcc,
    subject: input.subject,
    html: sanitizeEmailHtml(input.html),
    recipientCount: recipients.length,
    searchText: [input.subject, ...recipients.flatMap((r) => [r.address, r.name ?? ""])]
      .join(" ")
      .toLowerCase(),
    status: "queued",
    attempts: 0,
    nextAttemptAt: new Date(Math.max(undoUntil, sendAt?.getTime() ?? 0)),
    sendAt: sendAt && sendAt > now ? sendAt : null,
    createdAt: now,
    attachmentBytes: attachments.reduce((sum, a) => sum + attachmentWireSize(a.size), 0),
    inReplyTo: input.inReplyTo ?? null,
    references: input.references ?? null,
    forwardOf: input.forwardOf ?? null,
  };
  const webhookEvent = await queuedEventFor(data);
  const row = { ...data, webhookEvent };
  const outcome = attachments.length
    ? await insertMessageWithAttachments(
        row,
        attachments.map((a) => a.id),
      )
    : await insertMessage(row);
  if (outcome === "duplicate") {
    const existing = await findByKey(userId, input.idempotencyKey);
    if (existing) return replay(existing, requestHash);
    throw new Error("Unique violation on enqueue without a message for the idempotency key");
  }
  countSentMessage(userId, recipients.length);
  wakeDeliveryWorker();
  announceWebhookEvents([webhookEvent]);
  return {
    message: toMessageSummary({
      ...data,
      text: null,
      leaseUntil: null,
      smtpResponse: null,
      lastError: null,
      accepted: null,
      rejected: null,
      recipientOutcomes: null,
      updatedAt: now,
      sentAt: null,
      attachmentBytes: data.attachmentBytes ?? 0,
      inReplyTo: data.inReplyTo ?? null,
      references: data.references ?? null,
      forwardOf: data.forwardOf ?? null,
      sender: { kind: sender.kind },
    }),
    replayed: false,
  };
}

async function assertSendAllowed(userId: string, senderId: string, recipients: number): Promise<void> {
  await limits.sendPerUser.consumeOrThrow(
    `user:${userId}`,
    "You are sending too many messages at once. Wait a minute and try again.",
  );
  await limits.sendPerSender.consumeOrThrow(
    `sender:${senderId}`,
    "Too many messages through this sender at once. Wait a minute and try again.",
  );
  await assertWithinDailyQuota(userId, recipients);
}

/**
 * A forward names its original ("mailbox:<id>" or "sent:<id>"); it must be the user's own. The original's
 * attachments are resolved from it when the message is built (the attachment store's hook point).
 */
async function assertForwardableOrThrow(userId: string, forwardOf: string): Promise<void> {
  const [kind, id] = forwardOf.split(":") as ["mailbox" | "sent", string];
  const found =
    kind === "mailbox"
      ? await db.sandboxMail.findFirst({ where: { id, userId }, select: { id: true } })
      : await db.message.findFirst({ where: { id, userId }, select: { id: true } });
  if (!found) {
    throw new ApiError("validation_failed", "The forwarded message was not found.", {
      fields: { forwardOf: ["No such message of yours."] },
    });
  }
}

function findByKey(userId: string, idempotencyKey: string) {
  return db.message.findUnique({
    where: { userId_idempotencyKey: { userId, idempotencyKey } },
    include: { sender: { select: { kind: true } } },
  });
}

function replay(
  existing: NonNullable<Awaited<ReturnType<typeof findByKey>>>,
  requestHash: string,
): EnqueueResult {
  if (existing.requestHash !== requestHash) {
    throw new ApiError(
      "conflict",
      "This idempotency key was already used for a different message. Generate a new key for a new message.",
      { fields: { idempotencyKey: ["Already used for a different message."] } },
    );
  }
  return { message: toMessageSummary(existing), replayed: true };
}

/**
 * The sender's provider refuses larger messages; saying so now beats a bounce after. Counted as the message
 * will travel (base64 attachments, lib/attachments/encoded-size.ts), the same way Compose shows it.
 */
function assertWithinSizeLimit(
  sender: Awaited<ReturnType<typeof getSendingIdentityOrThrow>>,
  html: string,
  attachments: Attachment[],
): void {
  if (attachments.length === 0) return;
  const limit = messageSizeLimitOf(sender, env.SENDER_DEFAULT_MAX_MESSAGE_MB);
  const size = estimatedMessageSize(
    Buffer.byteLength(html, "utf8"),
    attachments.map((a) => a.size),
  );
  if (size > limit.bytes) {
    const message =
      `This message comes to about ${formatSize(size)} once encoded; ${limit.provider} takes messages up to ` +
      `${formatSize(limit.bytes)}. Remove a file or send a link instead.`;
    throw new ApiError("payload_too_large", message, { fields: { attachmentIds: [message] } });
  }
}

/** The hash a replay is compared with when its files can no longer be resolved (say, one was removed since). */
async function hashOfStored(messageId: string, input: SendMessageBody): Promise<string> {
  if (input.attachmentIds.length === 0) return hashRequest(input, []);
  const links = await db.messageAttachment.findMany({
    where: { messageId },
    orderBy: { position: "asc" },
    include: { attachment: true },
  });
  return hashRequest(
    input,
    links.map((l) => l.attachment),
  );
}

/**
 * The idempotency key covers the files too: their ids and contents (sha256), so the same key with other files
 * is a 409, never a message sent with the wrong ones.
 */
function hashRequest(input: SendMessageBody, attachments: Pick<Attachment, "id" | "sha256">[]): string {
  const canonical = JSON.stringify([
    input.senderId,
    input.to,
    input.cc,
    input.bcc,
    input.subject,
    input.html,
    // Only when present, so keys stored before scheduling existed still match their replays.
    ...(input.sendAt ? [new Date(input.sendAt).toISOString()] : []),
    // Likewise only with files, so hashes stored before attachments existed still match.
    ...(attachments.length ? [attachments.map((a) => [a.id, a.sha256])] : []),
    ...(input.inReplyTo || input.references || input.forwardOf
      ? [input.inReplyTo ?? "", input.references ?? "", input.forwardOf ?? ""]
      : []),
  ]);
  return createHash("sha256").update(canonical).digest("hex");
}

function makeMessageId(fromEmail: string): string {
  const domain = fromEmail.split("@")[1] || "securevault.local";
  return `<${randomUUID()}@${domain}>`;
}
