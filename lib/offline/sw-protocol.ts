// Names shared by the page and the service worker.
export const PAGES_CACHE = "securevault-pages";

export const swMessages = {
  skipWaiting: "SKIP_WAITING",
  warmPages: "WARM_PAGES",
  clearPages: "CLEAR_PAGES",
  outboxChanged: "OUTBOX_CHANGED",
} as const;

/** Screens the worker keeps for offline use (after a visit, or warmed at sign-in). */
export const offlineScreens = ["/compose", "/outbox", "/drafts", "/sent", "/mailbox", "/settings"];

export function isCacheablePage(pathname: string): boolean {
  return (
    !pathname.startsWith("/api/") &&
    !pathname.startsWith("/_next/") &&
    pathname !== "/sign-in" &&
    pathname !== "/sign-up"
  );
}
