// Drafts kept on the device, saved while typing; lib/offline/draft-sync.ts keeps them in step with the server.
import Dexie from "dexie";
import { offlineDb, type Draft, type OfflineDatabase } from "@/lib/offline/db";
import { sameDraftContent } from "@/lib/offline/draft-merge";

export async function latestDraft(userId: string): Promise<Draft | undefined> {
  return offlineDb()
    .drafts.where("[userId+updatedAt]")
    .between([userId, Dexie.minKey], [userId, Dexie.maxKey])
    .last();
}

export async function getDraft(userId: string, id: string): Promise<Draft | undefined> {
  const draft = await offlineDb().drafts.get(id);
  return draft?.userId === userId ? draft : undefined;
}

/**
 * Saves the draft, or removes it when nothing is left in it. `draft.serverRevision` is the revision the writer
 * based it on; a newer one that this device's own save made meanwhile is kept (that is no conflict). The same
 * content again is no change: it is not sent to the server.
 */
export async function saveDraft(draft: Draft, isEmpty: boolean): Promise<void> {
  const db = offlineDb();
  const changed = await db.transaction("rw", db.drafts, db.draftTombstones, async () => {
    if (isEmpty) return forgetDraft(db, draft.id);
    const prev = await db.drafts.get(draft.id);
    if (prev && sameDraftContent(prev, draft)) return false;
    const ownNewer =
      prev?.pushedRevision !== undefined &&
      prev.pushedRevision === prev.serverRevision &&
      prev.pushedRevision > (draft.serverRevision ?? 0);
    await db.drafts.put({
      ...draft,
      serverRevision: ownNewer ? prev.serverRevision : draft.serverRevision,
      pushedRevision: prev?.pushedRevision,
      unsynced: true,
      syncError: undefined,
    });
    return true;
  });
  if (changed) await requestSync(draft.userId);
}

export async function deleteDraft(id: string): Promise<void> {
  const db = offlineDb();
  const userId = (await db.drafts.get(id))?.userId;
  const removed = await db.transaction("rw", db.drafts, db.draftTombstones, () => forgetDraft(db, id));
  if (removed && userId) await requestSync(userId);
}

/**
 * Removes a draft inside the caller's transaction (which must include drafts and draftTombstones); one the
 * server has is remembered, so the next sync deletes it there too. True when the server needs telling.
 */
export async function forgetDraft(db: OfflineDatabase, id: string): Promise<boolean> {
  const draft = await db.drafts.get(id);
  if (!draft) return false;
  await db.drafts.delete(id);
  if (draft.serverRevision === undefined) return false;
  await db.draftTombstones.put({ id, userId: draft.userId });
  return true;
}

async function requestSync(userId: string): Promise<void> {
  (await import("@/lib/offline/draft-sync")).requestDraftSync(userId);
}
