import "server-only";
import { db } from "@/lib/db/client";
import type { ClaimedMessage } from "@/lib/delivery/claimed-message";
import type { Sender } from "@/lib/generated/prisma/client";
import { announceDeliveryOutcome, type DeliveryOutcome } from "@/lib/delivery/outcomes";
import { wakeDeliveryWorker } from "@/lib/delivery/wake";
import { SmtpError } from "@/lib/mail/smtp-error";
import { log } from "@/lib/log/logger";
import { metrics } from "@/lib/observability/metrics";
import { outcomeEventFor } from "@/lib/webhooks/outcome-events";
import { announceWebhookEvents, writeWebhookEvents } from "@/lib/webhooks/outbox";

// A mail server that refuses a sender's sign-in will refuse it again: trying on, message after message, is
// how an account gets locked by its provider or an address banned by fail2ban. After one refusal the sender
// is marked; the worker claims none of its messages (they wait, queued, their attempts untouched) until the
// user changes the password or a connection test passes. The user is told once, when the sender is marked.

/** True for the server's refusal of the credentials (535, 534, or the client's EAUTH). */
export function isSignInFailure(error: unknown): boolean {
  if (!(error instanceof SmtpError)) return false;
  return error.code === "EAUTH" || error.reply?.code === 535 || error.reply?.code === 534;
}

// In this process, from the moment a refusal is seen (before the database says so): senders whose sign-in was
// refused, as of their settings then (updatedAt: the user's fix changes it). Messages claimed a moment before
// the mark landed are held on their way to the pool, so none opens another connection that would sign in again.
const refusedHere = new Map<string, { version: number; reason: string }>();

/** The reason, when this sender's sign-in was refused with its current settings (in this process). */
export function signInRefusedHere(sender: Pick<Sender, "id" | "updatedAt">): string | null {
  const known = refusedHere.get(sender.id);
  if (!known) return null;
  if (known.version === sender.updatedAt.getTime()) return known.reason;
  // Settings changed since: the user's fix.
  refusedHere.delete(sender.id);
  return null;
}

/** What a message waiting on its sender's sign-in says on its timeline. */
export const WAITING_FOR_SIGN_IN =
  "Waiting: the mail server refused this sender's sign-in. It will be sent once the password is fixed in Settings.";

/** The same, for a sender connected with Google or Microsoft (lib/oauth): the fix is to reconnect it. */
export const WAITING_FOR_RECONNECT =
  "Waiting: the sender's sign-in was refused. It will be sent once the account is reconnected in Settings.";

/**
 * The sender's sign-in was refused while sending `message`: marks the sender (the first refusal only: the
 * messages in flight with it are refused too) and puts the message back in the queue, its attempt not
 * counted. The reason is the refusal in plain words (lib/mail/smtp-errors.ts).
 */
export async function holdForSignIn(message: ClaimedMessage, reason: string): Promise<void> {
  const sender = message.sender!;
  if (!refusedHere.has(sender.id))
    refusedHere.set(sender.id, { version: sender.updatedAt.getTime(), reason });
  const waiting = sender.oauthProvider ? WAITING_FOR_RECONNECT : WAITING_FOR_SIGN_IN;
  const now = new Date();
  const outcome: DeliveryOutcome = {
    messageId: message.id,
    userId: message.userId,
    subject: message.subject,
    kind: "sign-in-failed",
    accepted: [],
    reason,
    attempts: message.attempts - 1,
    senderName: sender.label,
    reconnect: sender.oauthProvider !== null,
  };
  // One event per refusal of the sender, written with the mark (the first refusal) in one transaction.
  const event = await outcomeEventFor(outcome, now);
  // updatedAt stays: the sender's pool is rebuilt when its settings change (lib/mail/transport.ts), and a
  // fresh pool would sign in again; the user's fix changes it.
  const marked = await db.$transaction(async (tx) => {
    const count = await tx.$executeRaw`
      UPDATE "Sender" SET "authFailedAt" = ${now}, "authFailedReason" = ${reason}
      WHERE "id" = ${sender.id} AND "authFailedAt" IS NULL`;
    if (count > 0) await writeWebhookEvents(tx, [event]);
    return count;
  });
  await db.message.update({
    where: { id: message.id },
    data: {
      status: "queued",
      leaseUntil: null,
      nextAttemptAt: now,
      attempts: { decrement: 1 },
      lastError: `${reason} ${waiting}`,
      events: { create: { type: "retry", detail: `${reason} ${waiting}` } },
    },
  });
  metrics.deliveries.inc({ outcome: "retrying" });
  if (marked === 0) return;
  // Its other messages wait too, also those no worker had claimed yet: each says why.
  await db.message.updateMany({
    where: { senderId: sender.id, status: "queued", lastError: null },
    data: { lastError: `${reason} ${waiting}` },
  });
  log.warn({ senderId: sender.id }, "sign-in refused: the sender's messages wait until it is fixed");
  announceDeliveryOutcome(outcome);
  announceWebhookEvents([event]);
}

/** The user fixed the sender (new password, or a connection test that signed in): its messages go again. */
export async function clearSignInFailure(senderId: string): Promise<void> {
  const { count } = await db.sender.updateMany({
    where: { id: senderId, authFailedAt: { not: null } },
    data: { authFailedAt: null, authFailedReason: null },
  });
  if (count > 0) wakeDeliveryWorker();
}
