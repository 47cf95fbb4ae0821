import type { Message, MessageEvent } from "@/lib/generated/prisma/client";
import { timelineOf, type TimelineEntry } from "@/lib/messages/timeline";
import type { Recipient } from "@/lib/validation/messages";

export type MessageStatus = "queued" | "sending" | "sent" | "failed" | "cancelled";

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
  attempts: number;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
  /** The time the user scheduled it for (scheduled send); null for "now". */
  sendAt: string | null;
  /** Until when a queued message waits before its first attempt (its schedule or the undo window). */
  holdUntil: string | null;
};

export type MessageDetail = MessageSummary & {
  messageId: string;
  html: string;
  smtpResponse: string | null;
  accepted: string[];
  rejected: string[];
  events: TimelineEntry[];
};

export function toMessageSummary(m: Message): MessageSummary {
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
    attempts: m.attempts,
    lastError: m.lastError,
    createdAt: m.createdAt.toISOString(),
    sentAt: m.sentAt?.toISOString() ?? null,
    sendAt: m.sendAt?.toISOString() ?? null,
    holdUntil: m.status === "queued" && m.attempts === 0 ? m.nextAttemptAt.toISOString() : null,
  };
}

export function toMessageDetail(m: Message & { events: MessageEvent[] }): MessageDetail {
  return {
    ...toMessageSummary(m),
    messageId: m.messageIdHeader,
    html: m.html,
    smtpResponse: m.smtpResponse,
    accepted: (m.accepted as string[] | null) ?? [],
    rejected: (m.rejected as string[] | null) ?? [],
    events: timelineOf(m),
  };
}
