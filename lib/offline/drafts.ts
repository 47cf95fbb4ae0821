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

/** The body of a draft made from something shared with the app (share target): text and link, escaped. */
export function sharedContentHtml(text: string | null, url: string | null): string {
  const escape = (s: string) =>
    s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  const parts: string[] = [];
  if (text) parts.push(`<p>${escape(text)}</p>`);
  if (url && /^https?:\/\//i.test(url)) parts.push(`<p><a href="${escape(url)}">${escape(url)}</a></p>`);
  return parts.join("");
}
