// What the service worker does with a push message and with a tap on its notification. Plain functions over
// the few browser objects they need, so app/sw.ts stays small and the behaviour can be tested with fakes.
import { notificationTag, parsePushPayload } from "@/lib/push/payload";

export const OPEN_ACTION = "open";
const FALLBACK_PATH = "/sent";

type NotificationAction = { action: string; title: string };
// `actions` and `renotify` are missing from TypeScript's DOM types (not every browser has them).
export type OutcomeNotificationOptions = NotificationOptions & {
  actions?: NotificationAction[];
  renotify?: boolean;
  timestamp?: number;
};

export type NotificationRegistration = {
  showNotification(title: string, options: OutcomeNotificationOptions): Promise<void>;
};

/**
 * Shows the notification for one push message. One notification per SecureVault message (or campaign): the
 * tag is the message id, so "Delivered" replaces an earlier "Still trying" instead of stacking, and renotify
 * makes the replacement alert again. A message we cannot read still shows something (the browser insists on it for a
 * user-visible subscription).
 */
export function showPushNotification(registration: NotificationRegistration, data: unknown): Promise<void> {
  const payload = parsePushPayload(data);
  if (!payload) {
    return registration.showNotification("SecureVault", {
      body: "Something changed with a message you sent.",
      icon: "/icons/icon-192.png",
      data: { url: FALLBACK_PATH },
    });
  }
  return registration.showNotification(payload.title, {
    body: payload.body,
    tag: notificationTag(payload),
    renotify: true,
    icon: "/icons/icon-192.png",
    timestamp: Date.now(),
    data:
      "campaignId" in payload
        ? { url: payload.url, campaignId: payload.campaignId, outcome: payload.outcome }
        : { url: payload.url, messageId: payload.messageId, outcome: payload.outcome },
    actions: [{ action: OPEN_ACTION, title: "Open" }],
  });
}

export type WindowClientLike = {
  url: string;
  focused?: boolean;
  visibilityState?: string;
  focus(): Promise<unknown>;
  navigate(url: string): Promise<unknown>;
};

export type ClientsLike = {
  matchAll(options: { type: "window"; includeUncontrolled: boolean }): Promise<readonly WindowClientLike[]>;
  openWindow(url: string): Promise<unknown>;
};

/**
 * Opens the message a notification is about: an open SecureVault window (the focused or visible one first)
 * is brought forward and taken to the message; with none open, a new window opens on it (on a phone, the
 * installed app). Resolves with what it did.
 */
export async function openNotificationTarget(
  clients: ClientsLike,
  origin: string,
  notificationData: unknown,
): Promise<"navigated" | "opened"> {
  const target = new URL(targetPath(notificationData), origin).href;
  const windows = (await clients.matchAll({ type: "window", includeUncontrolled: true })).filter(
    (w) => new URL(w.url).origin === origin,
  );
  const best =
    windows.find((w) => w.focused) ?? windows.find((w) => w.visibilityState === "visible") ?? windows[0];
  if (best) {
    // Focus is only granted while the tap is fresh; a refusal must not stop the navigation.
    await best.focus().catch(() => undefined);
    try {
      if (best.url !== target) await best.navigate(target);
      return "navigated";
    } catch {
      // A window this worker does not control cannot be navigated from here: open one instead.
    }
  }
  await clients.openWindow(target);
  return "opened";
}

/** The path to open: only a message or campaign page of this app, whatever the notification carries. */
function targetPath(data: unknown): string {
  const url = (data as { url?: unknown } | null)?.url;
  return typeof url === "string" && /^\/(messages|campaigns)\/[^/?#]+$/.test(url) ? url : FALLBACK_PATH;
}

/**
 * The browser replaced the push subscription (keys rotated, or it expired): store the new one for the user
 * signed in here. Without a session the server says 401 and the device simply stops being notified.
 */
export async function storeRenewedSubscription(subscription: PushSubscription | null): Promise<void> {
  if (!subscription) return;
  await fetch("/api/push/subscriptions", {
    method: "POST",
    credentials: "same-origin",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(subscription.toJSON()),
  });
}
