// Drafts on every device, from the page: deletions, then this device's changes, then the server's list.
// It runs from the page (not the service worker): a draft changes only while a page is open, which then sends
// it within a second of the typing; a page opened, or coming back online, sends what was written offline. Unlike
// a Send, nothing here must leave the device while no page is open.
import Dexie from "dexie";
import { ApiClientError, fetchJson } from "@/lib/api/client";
import { offlineDb, type Draft } from "@/lib/offline/db";
import { draftContent, planPull, resolveConflict } from "@/lib/offline/draft-merge";
import { draftSyncState, setDraftSyncState } from "@/lib/offline/draft-sync-state";
import type { DraftView } from "@/lib/validation/drafts";

const SYNC_DELAY_MS = 800;

const pushListeners = new Set<(id: string, revision: number) => void>();

/** Told when this device's save of a draft reached the server: the Compose screen bases its next save on it. */
export function onDraftPushed(listener: (id: string, revision: number) => void): () => void {
  pushListeners.add(listener);
  return () => pushListeners.delete(listener);
}

let timer: ReturnType<typeof setTimeout> | undefined;
let running: Promise<void> | null = null;
let again = false;

/** Syncs soon (saves a moment apart go as one); `delayMs` 0 for "now" (page opened, back online). */
export function requestDraftSync(userId: string, delayMs = SYNC_DELAY_MS): void {
  clearTimeout(timer);
  timer = setTimeout(() => void syncDrafts(userId), delayMs);
}

/** One sync at a time; a request during one runs once more after it. */
export async function syncDrafts(userId: string): Promise<void> {
  if (running) {
    again = true;
    return running;
  }
  running = (async () => {
    do {
      again = false;
      await syncOnce(userId);
    } while (again);
  })().finally(() => {
    running = null;
  });
  return running;
}

async function syncOnce(userId: string): Promise<void> {
  if (!navigator.onLine) return setDraftSyncState({ ...draftSyncState(), status: "offline" });
  setDraftSyncState({ ...draftSyncState(), status: "syncing" });
  try {
    await pushDeletions(userId);
    const pending = await userDrafts(userId).then((all) => all.filter((d) => d.unsynced && !d.syncError));
    for (const draft of pending) await pushDraft(draft);
    await pull(userId);
    setDraftSyncState({ ...draftSyncState(), status: "synced" });
  } catch (error) {
    const offline = error instanceof ApiClientError && error.status === 0;
    setDraftSyncState({ ...draftSyncState(), status: offline ? "offline" : "failed" });
  }
}

async function pushDeletions(userId: string): Promise<void> {
  const tombstones = await offlineDb().draftTombstones.where("userId").equals(userId).toArray();
  for (const { id } of tombstones) {
    try {
      await fetchJson(`/api/drafts/${id}`, { method: "DELETE" });
    } catch (error) {
      if (!(error instanceof ApiClientError && error.status === 404)) throw error;
    }
    await offlineDb().draftTombstones.delete(id);
  }
}

async function pushDraft(draft: Draft): Promise<void> {
  try {
    await markPushed(draft, await put(draft));
  } catch (error) {
    if (!(error instanceof ApiClientError)) throw error;
    if (error.status === 404 && draft.serverRevision !== undefined) {
      // Deleted or sent on another device after this one changed it: the change is kept, as a draft again.
      await markPushed(draft, await put({ ...draft, serverRevision: undefined }));
    } else if (error.status === 409 && error.code === "conflict" && error.fields.baseRevision) {
      await keepBoth(draft);
    } else if (error.status === 400 || error.status === 413 || error.status === 409) {
      await offlineDb().drafts.update(draft.id, { syncError: error.message });
    } else {
      throw error;
    }
  }
}

/** The conflict: the server's version becomes a conflicted copy, this device's is saved on top of it. */
async function keepBoth(draft: Draft): Promise<void> {
  const { draft: server } = await fetchJson<{ draft: DraftView }>(`/api/drafts/${draft.id}`);
  const { copy, local } = resolveConflict(draft, server, () => crypto.randomUUID());
  const savedCopy = await put(copy);
  await offlineDb().drafts.put({ ...copy, serverRevision: savedCopy.revision, unsynced: false });
  await offlineDb().drafts.update(draft.id, { serverRevision: server.revision });
  await markPushed(draft, await put(local));
  setDraftSyncState({
    ...draftSyncState(),
    conflict: { copyId: copy.id, copySubject: copy.subject, draftId: draft.id },
  });
}

async function put(draft: Draft): Promise<DraftView> {
  const { draft: saved } = await fetchJson<{ draft: DraftView }>(`/api/drafts/${draft.id}`, {
    method: "PUT",
    json: draftContent(draft),
  });
  return saved;
}

/** The server has this version: in step, unless the draft changed here while it was on its way. */
async function markPushed(sent: Draft, saved: DraftView): Promise<void> {
  const db = offlineDb();
  const kept = await db.transaction("rw", db.drafts, db.draftTombstones, async () => {
    const current = await db.drafts.get(sent.id);
    if (!current) {
      // Sent or deleted here while this save was on its way: the server has it now, so it is told to delete it.
      await db.draftTombstones.put({ id: sent.id, userId: sent.userId });
      again = true;
      return false;
    }
    await db.drafts.put({
      ...current,
      serverRevision: saved.revision,
      pushedRevision: saved.revision,
      unsynced: current.updatedAt !== sent.updatedAt,
    });
    return true;
  });
  if (kept) for (const listener of pushListeners) listener(sent.id, saved.revision);
}

async function pull(userId: string): Promise<void> {
  const { drafts: server } = await fetchJson<{ drafts: DraftView[] }>("/api/drafts");
  const db = offlineDb();
  await db.transaction("rw", db.drafts, db.draftTombstones, async () => {
    const tombstoned = new Set(
      (await db.draftTombstones.where("userId").equals(userId).toArray()).map((t) => t.id),
    );
    const { put: toPut, remove } = planPull(userId, await userDrafts(userId), server, tombstoned);
    await db.drafts.bulkPut(toPut);
    await db.drafts.bulkDelete(remove);
  });
}

function userDrafts(userId: string): Promise<Draft[]> {
  return offlineDb()
    .drafts.where("[userId+updatedAt]")
    .between([userId, Dexie.minKey], [userId, Dexie.maxKey])
    .toArray();
}
