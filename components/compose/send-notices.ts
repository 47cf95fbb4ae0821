// What Compose says after Send, and until when Undo can take the message back. Plain functions, so the notice
// component itself can load after the page.
import type { MessageSummary } from "@/lib/messages/message-view";
import type { OutgoingMessage } from "@/lib/offline/db";

export type Notice =
  // undoUntil: until when Undo can take the message back, on this device's clock.
  | { kind: "sent"; message: MessageSummary; content: OutgoingMessage; undoUntil?: number }
  | { kind: "queued"; reason: "offline" | "server" | "signed-out"; key: string; undoUntil: number }
  | { kind: "undone" }
  | { kind: "too-late"; text: string; href: string };

export function noticeText(notice: Notice): string {
  if (notice.kind === "undone") return "Sending undone — the message is back in your draft";
  if (notice.kind === "too-late") return notice.text;
  if (notice.kind === "sent") {
    if (notice.message.sendAt) return `Scheduled for ${new Date(notice.message.sendAt).toLocaleString()}`;
    const first = [...notice.message.to, ...notice.message.cc, ...notice.message.bcc][0];
    return `Queued — sending to ${first?.address ?? "recipients"} now`;
  }
  if (notice.reason === "signed-out") return "Your session has ended — sign in again and the Outbox sends it";
  return "Queued — will send when online";
}

export function noticeLink(notice: Notice): string | undefined {
  if (notice.kind === "sent") return `/messages/${notice.message.id}`;
  if (notice.kind === "too-late") return notice.href;
  return notice.kind === "queued" ? "/outbox" : undefined;
}

/**
 * Until when Undo can take a stored message back, on this device's clock: the server's hold measured from the
 * server's own timestamps, so a device clock that is off does not matter. A scheduled message can be cancelled
 * until its time; the notice offers Undo for its first moments.
 */
export function undoDeadline(message: MessageSummary): number | undefined {
  if (!message.holdUntil) return undefined;
  const hold = Date.parse(message.holdUntil) - Date.parse(message.createdAt);
  if (hold <= 0) return undefined;
  return Date.now() + (message.sendAt ? Math.min(hold, 10_000) : hold);
}
