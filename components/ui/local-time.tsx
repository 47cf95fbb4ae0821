"use client";
import { useSyncExternalStore } from "react";
import { formatDateTime, formatRelativeTime } from "@/components/ui/format";

// Times are shown relative ("3 min ago", "in 2 h") in the reader's time zone, with the full local date and time
// on hover. The server does not know the reader's zone, so it renders nothing and the browser fills it in.

const TICK_MS = 30_000;
let now = Date.now();
const listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | undefined;

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  if (!timer) {
    // React reads the snapshot again after subscribing: a stale time from an idle spell is replaced here.
    now = Date.now();
    timer = setInterval(() => {
      now = Date.now();
      listeners.forEach((l) => l());
    }, TICK_MS);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

/** The current time, refreshed every 30 s; null while rendering on the server or hydrating. */
export function useNow(): number | null {
  return useSyncExternalStore(
    subscribe,
    () => now,
    () => null,
  );
}

export function LocalTime({ iso, prefix = "" }: { iso: string; prefix?: string }) {
  const current = useNow();
  if (current === null) return <time dateTime={iso} />;
  const full = formatDateTime(iso);
  return (
    <time dateTime={iso} title={full} aria-label={`${prefix}${full}`}>
      {prefix}
      {formatRelativeTime(iso, current)}
    </time>
  );
}
