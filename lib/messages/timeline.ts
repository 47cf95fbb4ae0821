import { describeOutcomes, parseOutcomes } from "@/lib/delivery/recipient-outcomes";
import type { Message, MessageEvent } from "@/lib/generated/prisma/client";

export type TimelineEntry = { type: string; detail: string | null; at: string };

type TimelineSource = Pick<
  Message,
  | "to"
  | "cc"
  | "bcc"
  | "status"
  | "attempts"
  | "createdAt"
  | "updatedAt"
  | "sentAt"
  | "smtpResponse"
  | "accepted"
  | "rejected"
  | "recipientOutcomes"
> & { events: Pick<MessageEvent, "type" | "detail" | "createdAt">[] };

/**
 * A message's timeline, oldest first. The steps every message takes are read off its row rather than stored
 * as entries — queued (its creation), sending (the attempt under way: the claim's time and attempt count) and
 * sent or partly delivered (the time, the server's reply and each recipient's outcome) — which keeps enqueueing and delivery
 * to one write per message. Retries, failures, cancellations, reschedules and interrupted attempts are
 * stored entries.
 */
export function timelineOf(m: TimelineSource): TimelineEntry[] {
  const entries: TimelineEntry[] = [
    { type: "queued", detail: `Queued for ${recipientCount(m)} recipient(s)`, at: m.createdAt.toISOString() },
    ...m.events.map((e) => ({ type: e.type, detail: e.detail, at: e.createdAt.toISOString() })),
  ];
  if (m.status === "sending") {
    entries.push({
      type: "sending",
      detail: `Attempt ${m.attempts}: connecting to the mail server`,
      at: m.updatedAt.toISOString(),
    });
  }
  // Messages sent before the step was read off the row have it stored.
  const delivered = m.status === "sent" || m.status === "partial";
  if (delivered && m.sentAt && !m.events.some((e) => e.type === "sent")) {
    const outcomes = parseOutcomes(m.recipientOutcomes);
    const rejected = (m.rejected as string[] | null) ?? [];
    const reply = m.smtpResponse ?? "";
    entries.push({
      type: m.status,
      detail: outcomes
        ? `${describeOutcomes(outcomes)}. ${reply}`.trim()
        : rejected.length
          ? `Accepted for ${((m.accepted as string[] | null) ?? []).join(", ")}; refused for ${rejected.join(", ")}. ${reply}`.trim()
          : `Accepted: ${reply}`.trim(),
      at: m.sentAt.toISOString(),
    });
  }
  return entries;
}

function recipientCount(m: Pick<Message, "to" | "cc" | "bcc">): number {
  return [m.to, m.cc, m.bcc].reduce<number>((n, list) => n + (list as unknown[]).length, 0);
}
