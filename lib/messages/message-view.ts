import type { Message, MessageEvent } from "@/lib/generated/prisma/client";
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
  events: { type: string; detail: string | null; at: string }[];
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
    // Enqueueing writes only the message row; its creation is the first step of the timeline.
    events: [
      {
        type: "queued",
        detail: `Queued for ${recipientCount(m)} recipient(s)`,
        at: m.createdAt.toISOString(),
      },
      ...m.events.map((e) => ({ type: e.type, detail: e.detail, at: e.createdAt.toISOString() })),
    ],
  };
}

function recipientCount(m: Message): number {
  return [m.to, m.cc, m.bcc].reduce<number>((n, list) => n + (list as unknown[]).length, 0);
}
