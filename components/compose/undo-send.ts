// Undo send: takes a message back (from the server's hold, or from this device's outbox) into a draft. Loaded
// when Undo is pressed, not with Compose.
import { ApiClientError, fetchJson } from "@/lib/api/client";
import type { Draft } from "@/lib/offline/db";
import { showNotice, type Notice } from "@/components/compose/send-notices";

export async function undoSend(
  current: Notice,
  userId: string,
  onRestore: (draft: Draft) => void,
): Promise<void> {
  if (current.kind === "sent") {
    try {
      await fetchJson(`/api/messages/${current.message.id}/cancel`, { method: "POST" });
    } catch (e) {
      const gone = e instanceof ApiClientError && e.status === 409;
      showNotice({
        kind: "too-late",
        text: gone ? "Too late to undo — it has already been sent" : "Could not undo. Check your connection.",
        href: `/messages/${current.message.id}`,
      });
      return;
    }
    const { idempotencyKey: _key, sendAt: _sendAt, ...content } = current.content;
    const draft: Draft = { ...content, id: crypto.randomUUID(), userId, updatedAt: Date.now() };
    await (await import("@/lib/offline/drafts")).saveDraft(draft, false);
    onRestore(draft);
  } else if (current.kind === "queued") {
    const id = await (await import("@/lib/offline/outbox-client")).moveToDrafts(current.key);
    const draft = id ? await (await import("@/lib/offline/drafts")).getDraft(userId, id) : undefined;
    if (!draft) {
      showNotice({
        kind: "too-late",
        text: "Too late to undo — it has already left this device",
        href: "/sent",
      });
      return;
    }
    onRestore(draft);
  }
  showNotice({ kind: "undone" });
}
