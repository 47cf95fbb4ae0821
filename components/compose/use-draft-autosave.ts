"use client";
import { useCallback, useEffect, useRef } from "react";
import type { Draft } from "@/lib/offline/db";

const AUTOSAVE_MS = 300;

/**
 * Saves the draft on the device at most AUTOSAVE_MS behind the typing, and at once when the page is hidden or
 * closed. `snapshot` describes the draft as it is now; an empty draft is removed rather than kept.
 */
export function useDraftAutosave(snapshot: () => { draft: Draft; empty: boolean }) {
  const latest = useRef(snapshot);
  useEffect(() => {
    latest.current = snapshot;
  });
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const cancel = useCallback(() => clearTimeout(timer.current), []);
  const saveNow = useCallback(() => {
    clearTimeout(timer.current);
    const { draft, empty } = latest.current();
    // The on-device database (Dexie) loads after the page, so it is not part of Compose's first load.
    void import("@/lib/offline/drafts").then((d) => d.saveDraft(draft, empty));
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
