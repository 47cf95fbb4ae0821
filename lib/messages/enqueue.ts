import "server-only";
import { createHash, randomUUID } from "node:crypto";
import { ApiError } from "@/lib/api/errors";
import { db } from "@/lib/db/client";
import { isUniqueViolation } from "@/lib/db/errors";
import { wakeDeliveryWorker } from "@/lib/delivery/wake";
import { htmlToPlainText } from "@/lib/mail/plain-text";
import { sanitizeEmailHtml } from "@/lib/mail/sanitize";
import { toMessageSummary, type MessageSummary } from "@/lib/messages/message-view";
import type { SendMessageBody } from "@/lib/validation/messages";

export type EnqueueResult = { message: MessageSummary; replayed: boolean };

/**
 * Stores a message and its outbox state in one write. The client's idempotency key makes this safe to
 * repeat: the same key and body return the stored message; the same key with another body is a 409.
 */
export async function enqueueMessage(userId: string, input: SendMessageBody): Promise<EnqueueResult> {
  const requestHash = hashRequest(input);
  const existing = await findByKey(userId, input.idempotencyKey);
  if (existing) return replay(existing, requestHash);

  const sender = await db.sender.findFirst({ where: { id: input.senderId, userId } });
  if (!sender) {
    throw new ApiError("not_found", "Sender not found.", { fields: { senderId: ["Choose one of your senders."] } });
  }

  const html = sanitizeEmailHtml(input.html);
  const recipients = [...input.to, ...input.cc, ...input.bcc];
  try {
    const message = await db.message.create({
      data: {
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
        html,
        text: htmlToPlainText(html),
        searchText: [input.subject, ...recipients.flatMap((r) => [r.address, r.name ?? ""])].join(" ").toLowerCase(),
        status: "queued",
        events: { create: { type: "queued", detail: `Queued for ${recipients.length} recipient(s)` } },
      },
    });
    wakeDeliveryWorker();
    return { message: toMessageSummary(message), replayed: false };
  } catch (error) {
    // Two requests with one key raced: the loser answers like a replay.
    if (isUniqueViolation(error)) {
      const winner = await findByKey(userId, input.idempotencyKey);
      if (winner) return replay(winner, requestHash);
    }
    throw error;
  }
}

function findByKey(userId: string, idempotencyKey: string) {
  return db.message.findUnique({ where: { userId_idempotencyKey: { userId, idempotencyKey } } });
}

function replay(existing: NonNullable<Awaited<ReturnType<typeof findByKey>>>, requestHash: string): EnqueueResult {
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
  const canonical = JSON.stringify([input.senderId, input.to, input.cc, input.bcc, input.subject, input.html]);
  return createHash("sha256").update(canonical).digest("hex");
}

function makeMessageId(fromEmail: string): string {
  const domain = fromEmail.split("@")[1] || "securevault.local";
  return `<${randomUUID()}@${domain}>`;
}
