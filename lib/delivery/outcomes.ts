import { log } from "@/lib/log/logger";
import { processSingleton } from "@/lib/server/singleton";

// What happened to a message, announced after the outcome is stored. Listeners (push notifications, metrics)
// run detached: a slow or failing listener never delays or fails delivery.
export type DeliveryOutcome = {
  messageId: string;
  userId: string;
  subject: string;
  /**
   * delivered: first acceptance; failed: gave up for good; retrying: a temporary failure, will try again;
   * sign-in-failed: the server refused the sender's sign-in, and its messages wait until the user fixes it.
   */
  kind: "delivered" | "failed" | "retrying" | "sign-in-failed";
  /** Addresses the server accepted (delivered) or the plain-words reason (failed, retrying). */
  accepted: string[];
  reason: string | null;
  attempts: number;
  /** Recipients of the message, when some were not accepted (with `refused`). */
  total?: number;
  /** Recipients refused for good, each with the server's words or ours. */
  refused?: RefusedRecipient[];
  /**
   * A mail-merge message: its outcome shows in the campaign's progress and results, not as a notification
   * per recipient on the user's devices (a campaign of 2,000 would be 2,000 notifications).
   */
  campaign?: boolean;
  /** The sender's name (sign-in-failed). */
  senderName?: string;
  /** sign-in-failed, for a sender connected with OAuth: the fix is to reconnect it. */
  reconnect?: boolean;
};

export type RefusedRecipient = { address: string; reason: string | null };

type Listener = (outcome: DeliveryOutcome) => void | Promise<void>;
const listeners = processSingleton("outcomeListeners", () => new Set<Listener>());

export function onDeliveryOutcome(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function announceDeliveryOutcome(outcome: DeliveryOutcome): void {
  for (const listener of listeners) {
    void Promise.resolve()
      .then(() => listener(outcome))
      .catch((error) =>
        log.warn({ err: error, messageId: outcome.messageId }, "delivery outcome listener failed"),
      );
  }
}
