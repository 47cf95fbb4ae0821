"use client";
import { useEffect, useRef, useState } from "react";
import dynamic from "next/dynamic";
import type { Workbox } from "workbox-window";

const UpdateSnackbar = dynamic(() => import("@/components/pwa/update-snackbar"), { ssr: false });

/**
 * Registers the service worker (production builds only) and offers "Update available — Reload" when a new
 * version is waiting; the new version takes over only when the user says so.
 */
export function ServiceWorkerRegistration() {
  const [updateReady, setUpdateReady] = useState(false);
  const wb = useRef<Workbox | null>(null);
  const reloadRequested = useRef(false);

  useEffect(() => {
    // Browser code cannot use lib/env; Next inlines NODE_ENV at build time. No worker in `next dev`.
    // eslint-disable-next-line no-restricted-properties -- a build-time constant in browser code (see above)
    if (process.env.NODE_ENV !== "production" || !("serviceWorker" in navigator)) return;
    let cancelled = false;
    void import("workbox-window").then(({ Workbox }) => {
      if (cancelled) return;
      const workbox = new Workbox("/sw.js", { scope: "/" });
      workbox.addEventListener("waiting", () => setUpdateReady(true));
      workbox.addEventListener("controlling", (event) => {
        if (event.isUpdate) window.location.reload();
      });
      // The new version took over because the user chose Reload (in this tab or another): start it here too.
      navigator.serviceWorker.addEventListener("controllerchange", () => {
        if (reloadRequested.current) window.location.reload();
      });
      wb.current = workbox;
      void workbox.register();
    });
    return () => {
      cancelled = true;
    };
  }, []);

  if (!updateReady) return null;
  return (
    <UpdateSnackbar
      onReload={() => {
        reloadRequested.current = true;
        wb.current?.messageSkipWaiting();
      }}
    />
  );
}
