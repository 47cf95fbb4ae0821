"use client";
import { useLiveQuery } from "dexie-react-hooks";
import { useEffect, useState } from "react";
import { offlineDb } from "@/lib/offline/db";

/** How many messages wait in this user's outbox on this device (live). */
export function useOutboxCount(userId: string): number {
  return useLiveQuery(() => offlineDb().outbox.where("userId").equals(userId).count(), [userId], 0);
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
