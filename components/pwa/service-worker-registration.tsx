"use client";
import Button from "@mui/material/Button";
import Snackbar from "@mui/material/Snackbar";
import { useEffect, useRef, useState } from "react";
import type { Workbox } from "workbox-window";
import { swMessages } from "@/lib/offline/sw-protocol";

/**
 * Registers the service worker (production builds only) and offers "Update available — Reload" when a new
 * version is waiting; the new version takes over only when the user says so.
 */
export function ServiceWorkerRegistration() {
  const [updateReady, setUpdateReady] = useState(false);
  const wb = useRef<Workbox | null>(null);

  useEffect(() => {
    if (process.env.NODE_ENV !== "production" || !("serviceWorker" in navigator)) return;
    let cancelled = false;
    void import("workbox-window").then(({ Workbox }) => {
      if (cancelled) return;
      const workbox = new Workbox("/sw.js", { scope: "/" });
      workbox.addEventListener("waiting", () => setUpdateReady(true));
      workbox.addEventListener("controlling", (event) => {
        if (event.isUpdate) window.location.reload();
      });
      wb.current = workbox;
      void workbox.register();
    });
    return () => {
      cancelled = true;
    };
  }, []);

  return (
    <Snackbar
      open={updateReady}
      message="Update available"
      action={
        <Button
          color="inherit"
          size="small"
          onClick={() => wb.current?.messageSW({ type: swMessages.skipWaiting })}
        >
          Reload
        </Button>
      }
    />
  );
}
