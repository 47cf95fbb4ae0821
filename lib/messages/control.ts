import "server-only";
import { ApiError } from "@/lib/api/errors";
import { db } from "@/lib/db/client";
import { wakeDeliveryWorker } from "@/lib/delivery/wake";
import { toMessageSummary, type MessageSummary } from "@/lib/messages/message-view";

// Undo and scheduled send act on a message only while it waits in the queue. Each change is one conditional
// update on status "queued", the same condition the delivery worker claims on, so either the user or the
// worker wins a message — never both.

/** Cancels a waiting message. Cancelling twice is fine; once it is being sent or has gone, 409. */
export async function cancelMessage(userId: string, id: string): Promise<MessageSummary> {
  const changed = await db.$transaction(async (tx) => {
    const { count } = await tx.message.updateMany({
      where: { id, userId, status: "queued" },
      data: { status: "cancelled", leaseUntil: null },
    });
    if (count === 1) {
      await tx.messageEvent.create({
        data: { messageId: id, type: "cancelled", detail: "Cancelled before it was sent" },
      });
    }
    return count === 1;
  });
  const message = await findOwnMessage(userId, id);
  if (!changed && message.status !== "cancelled") throw tooLate(message.status, "cancelled");
  return toMessageSummary(message);
}

/** Sends a scheduled (or held) message now. */
export async function sendMessageNow(userId: string, id: string): Promise<MessageSummary> {
  const changed = await db.$transaction(async (tx) => {
    const { count } = await tx.message.updateMany({
      where: { id, userId, status: "queued" },
      data: { nextAttemptAt: new Date(), sendAt: null },
    });
    if (count === 1) {
      await tx.messageEvent.create({
        data: { messageId: id, type: "rescheduled", detail: "Send now requested" },
      });
    }
    return count === 1;
  });
  const message = await findOwnMessage(userId, id);
  if (!changed) throw tooLate(message.status, "sent now");
  wakeDeliveryWorker();
  return toMessageSummary(message);
}

async function findOwnMessage(userId: string, id: string) {
  const message = await db.message.findFirst({
    where: { id, userId },
    include: { sender: { select: { kind: true } } },
  });
  if (!message) throw new ApiError("not_found", "Message not found.");
  return message;
}

function tooLate(status: string, action: string): ApiError {
  const why: Record<string, string> = {
    sending: "It is being sent right now",
    sent: "It has already been sent",
    partial: "It has already been delivered to some of its recipients",
    failed: "It has already failed",
    cancelled: "It was cancelled",
  };
  return new ApiError("conflict", `${why[status] ?? `It is ${status}`}, so it can no longer be ${action}.`);
}
