"use client";
import { useEffect, useState, useSyncExternalStore } from "react";
import { ApiClientError, fetchJson } from "@/lib/api/client";
import type { MessageSummary } from "@/lib/messages/message-view";
import type { Draft, OutgoingMessage } from "@/lib/offline/db";
import { sendVerdict } from "@/lib/offline/retry-policy";
import { ensureUploaded, requestBody, UploadRefusedError } from "@/lib/offline/attachment-files";
import {
  currentNotice,
  forgetStaleNotice,
  queuedUndoDeadline,
  showNotice,
  subscribeToNotice,
  undoDeadline,
  type Notice,
} from "@/components/compose/send-notices";

// Compose's Send, queueing and Undo. A message goes to the server when it can; when the answer means "try again
// later" (lib/offline/retry-policy.ts, the rule the outbox replay follows too) it waits in this device's outbox.
// Undo takes it back for the user's undo window, wherever it is waiting.

export type SendResult =
  { outcome: "sent" | "queued" } | { outcome: "refused"; message: string; fields: Record<string, string[]> };

type QueueReason = Extract<Notice, { kind: "queued" }>["reason"];

// The on-device database (Dexie) loads after the page, so it is not part of Compose's first load.
const drafts = () => import("@/lib/offline/drafts");
const outbox = () => import("@/lib/offline/outbox-client");
const contacts = () => import("@/lib/offline/contacts-cache");

export function useSend({
  userId,
  undoSendSeconds,
  onRestore,
}: {
  userId: string;
  /** The user's undo window (their setting, else the instance default): the server holds a message as long. */
  undoSendSeconds: number;
  /** Opens a message taken back by Undo as the draft being written. */
  onRestore: (draft: Draft) => void;
}) {
  const [sending, setSending] = useState(false);
  const notice = useSyncExternalStore(subscribeToNotice, currentNotice, noNotice);
  useEffect(forgetStaleNotice, []);

  /** Sends (or queues) the message; the draft it was written in is gone once it is safely kept elsewhere. */
  async function send(message: OutgoingMessage, draftId: string): Promise<SendResult> {
    setSending(true);
    // Its recipients rank higher in address suggestions on this device at once, offline too.
    void contacts().then((c) => c.noteSent(userId, [...message.to, ...message.cc, ...message.bcc]));
    try {
      if (!navigator.onLine) return await queue(message, draftId, "offline");
      if (message.files?.some((f) => !f.attachmentId)) {
        // Files Compose could not upload yet: now, or with the message from the outbox when that fails.
        try {
          message = { ...message, files: await ensureUploaded(message.files) };
        } catch (e) {
          if (e instanceof UploadRefusedError && e.status !== 401) {
            return { outcome: "refused", message: e.message, fields: e.fields ?? {} };
          }
          return await queue(message, draftId, e instanceof UploadRefusedError ? "signed-out" : "offline");
        }
      }
      const { message: stored } = await fetchJson<{ message: MessageSummary }>("/api/messages", {
        method: "POST",
        json: requestBody(message),
      });
      await (await drafts()).deleteDraft(draftId);
      showNotice({ kind: "sent", message: stored, content: message, undoUntil: undoDeadline(stored) });
      return { outcome: "sent" };
    } catch (e) {
      if (!(e instanceof ApiClientError))
        return { outcome: "refused", message: "Sending failed. Try again.", fields: {} };
      const verdict = sendVerdict(e.status);
      if (verdict === "retry-later")
        return await queue(message, draftId, e.status === 0 ? "offline" : "server");
      if (verdict === "signed-out") return await queue(message, draftId, "signed-out");
      return { outcome: "refused", message: e.message, fields: e.fields };
    } finally {
      setSending(false);
    }
  }

  async function queue(message: OutgoingMessage, draftId: string, reason: QueueReason): Promise<SendResult> {
    await (await outbox()).queueMessage(userId, message, draftId);
    showNotice({
      kind: "queued",
      reason,
      key: message.idempotencyKey,
      undoUntil: queuedUndoDeadline(undoSendSeconds),
    });
    return { outcome: "queued" };
  }

  /** Undo send: takes the message back (from the server's hold, or from this device's outbox) into a draft. */
  async function undo(current: Notice): Promise<void> {
    await (await import("@/components/compose/undo-send")).undoSend(current, userId, onRestore);
  }

  return { sending, notice, send, undo, dismissNotice: () => showNotice(null) };
}

const noNotice = () => null;
