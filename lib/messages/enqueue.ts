import "server-only";
import { createHash, randomUUID } from "node:crypto";
import { ApiError } from "@/lib/api/errors";
import type { PublicUser } from "@/lib/auth/users";
import { env } from "@/lib/env";
import { db } from "@/lib/db/client";
import { wakeDeliveryWorker } from "@/lib/delivery/wake";
import { sanitizeEmailHtml } from "@/lib/mail/sanitize";
import { newTimeOrderedId } from "@/lib/db/ids";
import { insertMessage, type NewMessageRow } from "@/lib/messages/insert-batcher";
import { toMessageSummary, type MessageSummary } from "@/lib/messages/message-view";
import { assertWithinDailyQuota, countSentMessage } from "@/lib/messages/send-quota";
import { limits } from "@/lib/rate-limit/limits";
import { getSendingIdentityOrThrow } from "@/lib/senders/senders";
import type { SendMessageBody } from "@/lib/validation/messages";

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
  const requestHash = hashRequest(input);
  let sender;
  try {
    sender = await getSendingIdentityOrThrow(userId, input.senderId);
  } catch (error) {
    // A replay of a message whose sender was removed since still finds the stored message.
    const existing = await findByKey(userId, input.idempotencyKey);
    if (existing) return replay(existing, requestHash);
    throw error;
  }

  const recipients = [...input.to, ...input.cc, ...input.bcc];
  try {
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
  };
  if ((await insertMessage(data)) === "duplicate") {
    const existing = await findByKey(userId, input.idempotencyKey);
    if (existing) return replay(existing, requestHash);
    throw new Error("Unique violation on enqueue without a message for the idempotency key");
  }
  countSentMessage(userId, recipients.length);
  wakeDeliveryWorker();
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

function findByKey(userId: string, idempotencyKey: string) {
  return db.message.findUnique({ where: { userId_idempotencyKey: { userId, idempotencyKey } } });
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

function hashRequest(input: SendMessageBody): string {
  const canonical = JSON.stringify([
    input.senderId,
    input.to,
    input.cc,
    input.bcc,
    input.subject,
    input.html,
    // Only when present, so keys stored before scheduling existed still match their replays.
    ...(input.sendAt ? [new Date(input.sendAt).toISOString()] : []),
  ]);
  return createHash("sha256").update(canonical).digest("hex");
}

function makeMessageId(fromEmail: string): string {
  const domain = fromEmail.split("@")[1] || "securevault.local";
  return `<${randomUUID()}@${domain}>`;
}
