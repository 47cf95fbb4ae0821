"use client";
import { useEffect, useState } from "react";

/**
 * How many messages wait in this user's outbox on this device (live). Dexie loads after the page, so the
 * navigation badge does not weigh on every screen's first load.
 */
export function useOutboxCount(userId: string): number {
  const [count, setCount] = useState(0);
  useEffect(() => {
    let unsubscribe: (() => void) | undefined;
    let cancelled = false;
    void Promise.all([import("dexie"), import("@/lib/offline/db")]).then(([{ liveQuery }, { offlineDb }]) => {
      if (cancelled) return;
      const subscription = liveQuery(() =>
        offlineDb().outbox.where("userId").equals(userId).count(),
      ).subscribe({
        next: setCount,
        error: () => setCount(0),
      });
      unsubscribe = () => subscription.unsubscribe();
    });
    return () => {
      cancelled = true;
      unsubscribe?.();
    };
  }, [userId]);
  return count;
}

/** navigator.onLine, kept current. */
export function useOnline(): boolean {
  const [online, setOnline] = useState(true);
  useEffect(() => {
    const update = () => setOnline(navigator.onLine);
    update();
    window.addEventListener("online", update);
    window.addEventListener("offline", update);
    return () => {
      window.removeEventListener("online", update);
      window.removeEventListener("offline", update);
    };
  }, []);
  return online;
}
