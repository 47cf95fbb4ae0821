// What Compose says after Send, and until when Undo can take the message back. Plain functions, so the notice
// component itself can load after the page.
import type { MessageSummary } from "@/lib/messages/message-view";
import type { OutgoingMessage } from "@/lib/offline/db";

export type Notice =
  // undoUntil: until when Undo can take the message back, on this device's clock.
  | { kind: "sent"; message: MessageSummary; content: OutgoingMessage; undoUntil?: number }
  | { kind: "queued"; reason: "offline" | "server" | "signed-out"; key: string; undoUntil?: number }
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

/**
 * Until when Undo can take back a message waiting in this device's outbox: the user's own undo window, the same
 * one the server holds a sent message for. No window (0 s) means no Undo; the Outbox can still remove it.
 */
export function queuedUndoDeadline(undoSendSeconds: number): number | undefined {
  return undoSendSeconds > 0 ? Date.now() + undoSendSeconds * 1000 : undefined;
}

// The notice on screen, kept for this tab's session rather than in Compose's state: "Queued" must stay when
// Compose starts over — Clear, New message (/compose?new=1), or a reload while offline — or the user is left
// wondering whether the message was kept. Coming back to Compose later does not bring an old notice back: it
// is kept until its Undo window ends and half a minute more.
const NOTICE_KEY = "securevault.sendNotice";
const KEEP_AFTER_UNDO_MS = 30_000;
type StoredNotice = { notice: Notice; keepUntil: number };
const listeners = new Set<() => void>();
let snapshot: { raw: string | null; notice: Notice | null } = { raw: null, notice: null };

export function currentNotice(): Notice | null {
  const raw = sessionStorage.getItem(NOTICE_KEY);
  if (raw !== snapshot.raw) snapshot = { raw, notice: readStored(raw)?.notice ?? null };
  return snapshot.notice;
}

export function showNotice(notice: Notice | null): void {
  if (notice) {
    const undoUntil = "undoUntil" in notice ? (notice.undoUntil ?? 0) : 0;
    const stored: StoredNotice = { notice, keepUntil: Math.max(undoUntil, Date.now()) + KEEP_AFTER_UNDO_MS };
    sessionStorage.setItem(NOTICE_KEY, JSON.stringify(stored));
  } else {
    sessionStorage.removeItem(NOTICE_KEY);
  }
  for (const listener of listeners) listener();
}

/** Drops a notice kept past its time (Compose calls this when it opens). */
export function forgetStaleNotice(): void {
  const raw = sessionStorage.getItem(NOTICE_KEY);
  if (raw && !readStored(raw)) showNotice(null);
}

export function subscribeToNotice(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function readStored(raw: string | null): StoredNotice | null {
  if (!raw) return null;
  try {
    const stored = JSON.parse(raw) as StoredNotice;
    return stored.keepUntil > Date.now() ? stored : null;
  } catch {
    return null;
  }
}
