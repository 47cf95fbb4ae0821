import {
  envelopeAddresses,
  outcomeReason,
  parseOutcomes,
  type RecipientState,
  type SmtpReplyParts,
} from "@/lib/delivery/recipient-outcomes";
import type { Message, MessageEvent } from "@/lib/generated/prisma/client";
import { timelineOf, type TimelineEntry } from "@/lib/messages/timeline";
import type { AttachmentSummary } from "@/lib/attachments/attachments";
import type { Recipient } from "@/lib/validation/messages";

/** "partial": delivered to some recipients, refused for good by the others. */
export type MessageStatus = "queued" | "sending" | "sent" | "partial" | "failed" | "cancelled";

/** Where one recipient stands; "pending" until an attempt decided (or while it was never tried). */
export type RecipientView = {
  address: string;
  state: RecipientState | "pending";
  /** The server's reply for this recipient, when it gave one. */
  reply: SmtpReplyParts | null;
  /** The reply or our reason in words: "550 5.1.1 Mailbox does not exist", "gave up after 8 attempts: …". */
  reason: string | null;
};

export type MessageSummary = {
  id: string;
  idempotencyKey: string;
  status: MessageStatus;
  subject: string;
  from: { name: string | null; address: string };
  to: Recipient[];
  cc: Recipient[];
  bcc: Recipient[];
  senderId: string | null;
  /** Sent through the built-in test mailbox (lib/sandbox): nothing leaves the machine. */
  viaSandbox: boolean;
  attempts: number;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
  /** The time the user scheduled it for (scheduled send); null for "now". */
  sendAt: string | null;
  /** Until when a queued message waits before its first attempt (its schedule or the undo window). */
  holdUntil: string | null;
  /** When the worker tries a queued message next; null once it is no longer queued. */
  nextAttemptAt: string | null;
  /** Each envelope recipient (To, Cc, Bcc) once, with its delivery state and reason. */
  recipients: RecipientView[];
  /** It carries files (the detail lists them). */
  hasAttachments: boolean;
};

export type MessageDetail = MessageSummary & {
  messageId: string;
  html: string;
  smtpResponse: string | null;
  accepted: string[];
  rejected: string[];
  events: TimelineEntry[];
  /** Its files, in order; Forward passes their ids as attachmentIds to send them again. */
  attachments: AttachmentSummary[];
  /** Threading headers, when it is a reply; the original ("mailbox:<id>" or "sent:<id>"), when a forward. */
  inReplyTo: string | null;
  references: string | null;
  forwardOf: string | null;
};

/** `sender`: its kind, when the caller loaded it (a message whose sender was removed has none). */
type MessageRow = Message & { sender?: { kind: string } | null };

export function toMessageSummary(m: MessageRow): MessageSummary {
  return {
    id: m.id,
    idempotencyKey: m.idempotencyKey,
    status: m.status as MessageStatus,
    subject: m.subject,
    from: { name: m.fromName, address: m.fromEmail },
    to: m.to as Recipient[],
    cc: m.cc as Recipient[],
    bcc: m.bcc as Recipient[],
    senderId: m.senderId,
    viaSandbox: m.sender?.kind === "sandbox",
    attempts: m.attempts,
    lastError: m.lastError,
    createdAt: m.createdAt.toISOString(),
    sentAt: m.sentAt?.toISOString() ?? null,
    sendAt: m.sendAt?.toISOString() ?? null,
    holdUntil: m.status === "queued" && m.attempts === 0 ? m.nextAttemptAt.toISOString() : null,
    nextAttemptAt: m.status === "queued" ? m.nextAttemptAt.toISOString() : null,
    recipients: recipientViews(m),
    hasAttachments: m.attachmentBytes > 0,
  };
}

/**
 * Per-recipient states. Stored outcomes say it when there are any; a message without them was either
 * accepted for everyone (sent), ended as a whole (failed: its reason is the message's), or is not settled.
 */
export function recipientViews(
  m: Pick<Message, "to" | "cc" | "bcc" | "status" | "lastError" | "recipientOutcomes" | "rejected">,
): RecipientView[] {
  const all = envelopeAddresses(m);
  const stored = parseOutcomes(m.recipientOutcomes);
  if (stored) {
    const byAddress = new Map(stored.map((o) => [o.address, o]));
    return all.map((address) => {
      const o = byAddress.get(address);
      return o
        ? { address, state: o.state, reply: o.reply ?? null, reason: outcomeReason(o) }
        : { address, state: "pending", reply: null, reason: null };
    });
  }
  const refused = new Set(Array.isArray(m.rejected) ? (m.rejected as string[]) : []);
  return all.map((address): RecipientView => {
    if (m.status === "sent" || m.status === "partial") {
      return refused.has(address)
        ? { address, state: "refused", reply: null, reason: null }
        : { address, state: "accepted", reply: null, reason: null };
    }
    if (m.status === "failed") return { address, state: "refused", reply: null, reason: m.lastError };
    return { address, state: "pending", reply: null, reason: null };
  });
}

export function toMessageDetail(
  m: MessageRow & { events: MessageEvent[] },
  attachments: AttachmentSummary[] = [],
): MessageDetail {
  return {
    ...toMessageSummary(m),
    messageId: m.messageIdHeader,
    html: m.html,
    smtpResponse: m.smtpResponse,
    accepted: (m.accepted as string[] | null) ?? [],
    rejected: (m.rejected as string[] | null) ?? [],
    events: timelineOf(m),
    attachments,
    inReplyTo: m.inReplyTo,
    references: m.references,
    forwardOf: m.forwardOf,
  };
}
