/// <reference lib="webworker" />
// The service worker entry (bundled into public/sw.js by lib/offline/build-sw.ts during `npm run build`).
// It stays small: caching rules here, the outbox protocol in lib/offline/replay.ts.
import { cleanupOutdatedCaches, precacheAndRoute, type PrecacheEntry } from "workbox-precaching";
import { registerRoute, setCatchHandler } from "workbox-routing";
import { NetworkFirst } from "workbox-strategies";
import { PAGES_CACHE, isCacheablePage, swMessages } from "@/lib/offline/sw-protocol";
import { OUTBOX_SYNC_TAG, replayOutbox, RetryLaterError } from "@/lib/offline/replay";
import {
  openNotificationTarget,
  showPushNotification,
  storeRenewedSubscription,
} from "@/lib/push/sw-notifications";

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: (PrecacheEntry | string)[] };
type SyncEvent = ExtendableEvent & { tag: string; lastChance: boolean };
type SubscriptionChangeEvent = ExtendableEvent & {
  oldSubscription: PushSubscription | null;
  newSubscription: PushSubscription | null;
};

precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();

// Signed-in screens: the network when it answers, else the copy from the last visit.
registerRoute(
  ({ request, url }) => request.mode === "navigate" && isCacheablePage(url.pathname),
  new NetworkFirst({
    cacheName: PAGES_CACHE,
    networkTimeoutSeconds: 4,
    plugins: [
      {
        // A redirect (to sign-in) must never be stored as the page it was asked for.
        cacheWillUpdate: async ({ response }) => (response.ok && !response.redirected ? response : null),
        cacheKeyWillBeUsed: async ({ request }) => pageKey(request.url),
      },
    ],
  }),
);

setCatchHandler(async ({ request }) => {
  if (request.destination === "document") {
    return (await caches.match("/offline", { ignoreSearch: true })) ?? Response.error();
  }
  return Response.error();
});

self.addEventListener("install", () => {
  // The first version takes over at once; later versions wait for the user's "Reload" (see message handler).
  if (!self.registration.active) void self.skipWaiting();
});

self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

self.addEventListener("message", (event) => {
  const data = event.data as { type?: string; urls?: string[] } | null;
  if (data?.type === swMessages.skipWaiting) void self.skipWaiting();
  if (data?.type === swMessages.warmPages && data.urls) event.waitUntil(warmPages(data.urls));
  if (data?.type === swMessages.clearPages) event.waitUntil(caches.delete(PAGES_CACHE));
});

self.addEventListener("sync", (event) => {
  const sync = event as SyncEvent;
  if (sync.tag !== OUTBOX_SYNC_TAG) return;
  sync.waitUntil(
    replayOutbox().then(notifyClients, (error: unknown) => {
      // Rethrowing asks the browser to fire the sync again later, unless this was its last try.
      if (error instanceof RetryLaterError && sync.lastChance) return;
      throw error;
    }),
  );
});

self.addEventListener("sync" as keyof ServiceWorkerGlobalScopeEventMap, () => undefined);

// Delivery notifications (lib/push/sw-notifications.ts): shown on push, and a tap opens the message.
self.addEventListener("push", (event) => {
  event.waitUntil(showPushNotification(self.registration, readPushJson(event.data)));
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  // The work starts before waitUntil, which only keeps the worker alive until it is done.
  const opening = openNotificationTarget(self.clients, self.location.origin, event.notification.data);
  event.waitUntil(opening);
});

self.addEventListener("pushsubscriptionchange", (event) => {
  const change = event as SubscriptionChangeEvent;
  change.waitUntil(
    (async () => {
      const renewed =
        change.newSubscription ??
        (change.oldSubscription
          ? await self.registration.pushManager.subscribe(change.oldSubscription.options)
          : null);
      await storeRenewedSubscription(renewed);
    })(),
  );
});

function readPushJson(data: PushMessageData | null): unknown {
  try {
    return data?.json() ?? null;
  } catch {
    return null;
  }
}

// Without Background Sync (Safari, Firefox) the worker replays whenever it starts.
if (!("sync" in self.registration)) {
  void replayOutbox().then(notifyClients, () => undefined);
}

async function notifyClients() {
  for (const client of await self.clients.matchAll({ type: "window" }))
    client.postMessage({ type: swMessages.outboxChanged });
}

async function warmPages(urls: string[]) {
  const cache = await caches.open(PAGES_CACHE);
  await Promise.all(
    urls.map(async (url) => {
      try {
        const response = await fetch(url, { credentials: "same-origin" });
        if (response.ok && !response.redirected) await cache.put(pageKey(url), response);
      } catch {
        // Offline or signed out: the page gets cached on the next visit instead.
      }
    }),
  );
}

/** One cache entry per screen: the query string (share-target text, draft ids) does not make a new page. */
function pageKey(url: string): string {
  const u = new URL(url, self.location.origin);
  return `${u.origin}${u.pathname}`;
}
