// What the draft sync is doing, for the screens: a small store without Dexie, so showing it costs Compose's first
// load nothing (the sync itself, lib/offline/draft-sync.ts, loads after the page).

export type DraftSyncState = {
  status: "idle" | "syncing" | "synced" | "offline" | "failed";
  /** The latest conflict: the other device's version was kept as a separate draft. */
  conflict?: { copyId: string; copySubject: string; draftId: string };
};

let state: DraftSyncState = { status: "idle" };
const listeners = new Set<() => void>();

export function draftSyncState(): DraftSyncState {
  return state;
}

export function subscribeToDraftSync(listener: () => void): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

export function setDraftSyncState(next: DraftSyncState): void {
  state = next;
  for (const listener of listeners) listener();
}

export function dismissDraftConflict(): void {
  setDraftSyncState({ ...state, conflict: undefined });
}
