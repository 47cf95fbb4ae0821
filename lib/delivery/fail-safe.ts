import "server-only";
import { isCampaignMessageId } from "@/lib/campaigns/unsubscribe";
import { db } from "@/lib/db/client";
import { isDatabaseBusy } from "@/lib/db/errors";
import type { ClaimedMessage } from "@/lib/delivery/claimed-message";
import { deliverMessage } from "@/lib/delivery/deliver";
import { announceDeliveryOutcome, type DeliveryOutcome } from "@/lib/delivery/outcomes";
import { holdForSignIn, signInRefusedHere } from "@/lib/delivery/sign-in-failures";
import { log } from "@/lib/log/logger";
import { isBodyNestedTooDeeply, MAX_HTML_DEPTH } from "@/lib/mail/html-depth";
import { metrics } from "@/lib/observability/metrics";
import { outcomeEventFor } from "@/lib/webhooks/outcome-events";
import { announceWebhookEvents, writeWebhookEvents } from "@/lib/webhooks/outbox";

/**
 * deliverMessage (true: the server accepted the message), with whatever goes wrong while one message is prepared or sent (a MIME build or a plain-text
 * conversion that throws, a stack overflow on a pathological body, a bug) ending that message — failed, with
 * the reason — instead of the worker: a rejection left unhandled would take the whole process down, and every
 * other user's mail with it. Should even recording the failure fail (the database is gone), the message stays
 * claimed and its lease runs out: it is tried again, and quarantined if it keeps interrupting (quarantine.ts).
 */
export async function deliverOrFail(message: ClaimedMessage): Promise<boolean> {
  try {
    // Stored before the limit existed, or written around the API: never handed to a parser.
    if (isBodyNestedTooDeeply(message.html)) throw new NestedTooDeeplyError();
    // Its sender's sign-in was refused after this message was claimed: it waits with the others.
    const refused = message.sender && signInRefusedHere(message.sender);
    if (refused) {
      await holdForSignIn(message, refused);
      return false;
    }
    return await deliverMessage(message);
  } catch (error) {
    if (isDatabaseBusy(error)) {
      // Not the message's fault, and perhaps after the server took it: it is not failed. It stays claimed, and
      // when its lease runs out it is tried again (with the same Message-ID).
      log.warn(
        { err: error, messageId: message.id },
        "the database stayed busy: a message is left to its lease",
      );
      return false;
    }
    log.error({ err: error, messageId: message.id }, "a message could not be prepared or sent");
    await failUnexpectedly(message, error).catch((recordError: unknown) =>
      log.error({ err: recordError, messageId: message.id }, "could not record a message's failure"),
    );
    return false;
  }
}

async function failUnexpectedly(message: ClaimedMessage, error: unknown): Promise<void> {
  const reason = unexpectedFailureReason(error);
  const outcome: DeliveryOutcome = {
    messageId: message.id,
    userId: message.userId,
    subject: message.subject,
    kind: "failed",
    accepted: [],
    reason,
    attempts: message.attempts,
    campaign: isCampaignMessageId(message.messageIdHeader),
  };
  const event = await outcomeEventFor(outcome);
  // Only while it is still this attempt's: an outcome already stored stays.
  const failed = await db.$transaction(async (tx) => {
    const { count } = await tx.message.updateMany({
      where: { id: message.id, status: "sending" },
      data: { status: "failed", leaseUntil: null, lastError: reason },
    });
    if (count > 0) {
      await tx.messageEvent.create({ data: { messageId: message.id, type: "failed", detail: reason } });
      await writeWebhookEvents(tx, [event]);
    }
    return count > 0;
  });
  if (!failed) return;
  metrics.deliveries.inc({ outcome: "failed" });
  announceDeliveryOutcome(outcome);
  announceWebhookEvents([event]);
}

/** The plain-words reason for a message that broke the sending code itself. */
export function unexpectedFailureReason(error: unknown): string {
  if (error instanceof NestedTooDeeplyError) {
    return `This message could not be prepared for sending: its HTML nests elements more than ${MAX_HTML_DEPTH} levels deep.`;
  }
  if (error instanceof RangeError && /call stack/i.test(error.message)) {
    return "This message could not be prepared for sending: its content is nested too deeply to be processed.";
  }
  const what = error instanceof Error ? error.message : String(error);
  return `This message could not be prepared for sending (${what.slice(0, 200)}).`;
}

class NestedTooDeeplyError extends Error {}
