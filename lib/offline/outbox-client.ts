// Page-side outbox operations: queue a message durably, and ask for it to be sent (Background Sync where the
// browser has it, otherwise right away from the page).
import { durableOfflineDb, offlineDb, type Draft, type OutgoingMessage } from "@/lib/offline/db";
import { forgetDraft } from "@/lib/offline/drafts";
import { OUTBOX_SYNC_TAG, replayOutbox, withOutboxLock, type ReplayResult } from "@/lib/offline/replay";

export async function queueMessage(
  userId: string,
  message: OutgoingMessage,
  draftId?: string,
): Promise<void> {
  const db = durableOfflineDb();
  let tellServer = false;
  await db.transaction("rw", db.outbox, db.drafts, db.draftTombstones, async () => {
    await db.outbox.put({
      key: message.idempotencyKey,
      userId,
      message,
      state: "queued",
      queuedAt: Date.now(),
      attempts: 0,
    });
    // The draft is gone on every device: the server is told at the next draft sync.
    if (draftId) tellServer = await forgetDraft(db, draftId);
  });
  if (tellServer) (await import("@/lib/offline/draft-sync")).requestDraftSync(userId);
  await requestSync();
}

/** Registers the sync tag so the service worker sends the outbox when the connection returns. */
export async function requestSync(): Promise<void> {
  const registration = await navigator.serviceWorker?.getRegistration();
  const sync = (
    registration as
      (ServiceWorkerRegistration & { sync?: { register(tag: string): Promise<void> } }) | undefined
  )?.sync;
  if (sync) {
    try {
      await sync.register(OUTBOX_SYNC_TAG);
      return;
    } catch {
      // Permission refused or no active worker: fall through to sending from the page.
    }
  }
  if (navigator.onLine) void replayFromPage();
}

/** Replays from the page; failures just mean "later" (the next trigger will try again). */
export async function replayFromPage(): Promise<ReplayResult | null> {
  try {
    return await replayOutbox();
  } catch {
    return null;
  }
}

/** Moves an outbox item back into a draft so it can be edited; it will not be sent until sent again. */
export async function moveToDrafts(key: string): Promise<string | null> {
  const db = offlineDb();
  // Under the replay lock, so an item is never edited while it is being sent.
  const run = () =>
    db.transaction("rw", db.outbox, db.drafts, async () => {
      const item = await db.outbox.get(key);
      if (!item) return null;
      const draft: Draft = {
        id: crypto.randomUUID(),
        userId: item.userId,
        senderId: item.message.senderId,
        to: item.message.to,
        cc: item.message.cc,
        bcc: item.message.bcc,
        subject: item.message.subject,
        html: item.message.html,
        ...(item.message.files ? { files: item.message.files } : {}),
        ...(item.message.attachmentIds ? { attachmentIds: item.message.attachmentIds } : {}),
        updatedAt: Date.now(),
        unsynced: true,
      };
      await db.drafts.put(draft);
      await db.outbox.delete(key);
      return draft.id;
    });
  return withOutboxLock(run);
}
