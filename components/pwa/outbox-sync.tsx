"use client";
import { useEffect } from "react";
import { offlineScreens, swMessages } from "@/lib/offline/sw-protocol";

/**
 * Fallback triggers for the outbox (Background Sync is the main one): replay when the app starts and whenever
 * the browser comes back online. Also keeps the signed-in screens cached for offline use and asks the browser
 * to keep this site's storage.
 */
export function OutboxSync() {
  useEffect(() => {
    const replayFromPage = () => import("@/lib/offline/outbox-client").then((m) => m.replayFromPage());
    void replayFromPage();
    const onOnline = () => void replayFromPage();
    window.addEventListener("online", onOnline);

    void navigator.storage?.persist?.().catch(() => false);
    void navigator.serviceWorker?.ready.then((registration) =>
      registration.active?.postMessage({ type: swMessages.warmPages, urls: offlineScreens }),
    );
    return () => window.removeEventListener("online", onOnline);
  }, []);
  return null;
}
