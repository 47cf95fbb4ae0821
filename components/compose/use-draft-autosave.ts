"use client";
import { useCallback, useEffect, useRef } from "react";
import type { Draft } from "@/lib/offline/db";

const AUTOSAVE_MS = 300;

// The server revision each draft opened on this page is based on: set when Compose opens it, moved on by this
// page's own saves reaching the server.
const revisions = new Map<string, number | undefined>();

/** Compose opened this draft: its next save is based on the server revision it was opened at. */
export function rememberOpenedRevision(draft: Pick<Draft, "id" | "serverRevision">): void {
  revisions.set(draft.id, draft.serverRevision);
}

/**
 * Saves the draft on the device at most AUTOSAVE_MS behind the typing, and at once when the page is hidden or
 * closed; from there it goes to the server (lib/offline/draft-sync.ts). `snapshot` describes the draft as it is
 * now; an empty draft is removed rather than kept. Each save names the server revision the draft was opened at
 * (`rememberOpenedRevision`), moved on only by this page's own saves: a change another device made meanwhile is a conflict
 * (both kept), never overwritten.
 */
export function useDraftAutosave(snapshot: () => { draft: Draft; empty: boolean }) {
  const latest = useRef(snapshot);
  useEffect(() => {
    latest.current = snapshot;
  });
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  useEffect(() => {
    let unsubscribe = () => {};
    let gone = false;
    void import("@/lib/offline/draft-sync").then((sync) => {
      if (!gone) unsubscribe = sync.onDraftPushed((id, revision) => revisions.set(id, revision));
    });
    return () => {
      gone = true;
      unsubscribe();
    };
  }, []);
  const cancel = useCallback(() => clearTimeout(timer.current), []);
  const saveNow = useCallback(() => {
    clearTimeout(timer.current);
    const { draft, empty } = latest.current();
    const based = { ...draft, serverRevision: revisions.get(draft.id) };
    // The on-device database (Dexie) loads after the page, so it is not part of Compose's first load.
    void import("@/lib/offline/drafts").then((d) => d.saveDraft(based, empty));
  }, []);
  const scheduleSave = useCallback(() => {
    clearTimeout(timer.current);
    timer.current = setTimeout(saveNow, AUTOSAVE_MS);
  }, [saveNow]);

  useEffect(() => {
    const onHidden = () => {
      if (document.visibilityState === "hidden") saveNow();
    };
    window.addEventListener("pagehide", saveNow);
    document.addEventListener("visibilitychange", onHidden);
    return () => {
      window.removeEventListener("pagehide", saveNow);
      document.removeEventListener("visibilitychange", onHidden);
    };
  }, [saveNow]);

  return { saveNow, scheduleSave, cancel };
}
