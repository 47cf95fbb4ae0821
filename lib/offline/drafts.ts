// Drafts kept on the device, saved while typing.
import Dexie from "dexie";
import { offlineDb, type Draft } from "@/lib/offline/db";

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

/** Saves the draft, or removes it when nothing is left in it. */
export async function saveDraft(draft: Draft, isEmpty: boolean): Promise<void> {
  if (isEmpty) await offlineDb().drafts.delete(draft.id);
  else await offlineDb().drafts.put(draft);
}

export async function deleteDraft(id: string): Promise<void> {
  await offlineDb().drafts.delete(id);
}
