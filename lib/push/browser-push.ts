// The page's side of push: can this browser be notified, and subscribing it with the server's VAPID key.
import { isAppleMobile, isStandalone } from "@/lib/pwa/platform";

export type PushAvailability =
  | "available"
  | "unsupported" // no service worker, Push API or Notification API
  | "insecure" // push needs https (or localhost)
  | "ios-install" // iPhone/iPad: only apps added to the Home Screen get push
  | "denied"; // the user blocked notifications for this site

export function pushAvailability(): PushAvailability {
  if (!window.isSecureContext) return "insecure";
  // Safari on iOS has no PushManager in a tab, so this comes before the feature test to say what to do.
  if (isAppleMobile() && !isStandalone()) return "ios-install";
  if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window))
    return "unsupported";
  if (Notification.permission === "denied") return "denied";
  return "available";
}

/** This browser's current subscription, if any; never waits for a service worker that is not there. */
export async function currentPushSubscription(): Promise<PushSubscription | null> {
  if (!("serviceWorker" in navigator) || !("PushManager" in window)) return null;
  const registration = await navigator.serviceWorker.getRegistration();
  return (await registration?.pushManager.getSubscription()) ?? null;
}

const WORKER_WAIT_MS = 10_000;

/** Subscribes through the service worker: user-visible notifications only, signed for by our VAPID key. */
export async function subscribeThisBrowser(publicKey: string): Promise<PushSubscription> {
  const registration = await Promise.race([
    navigator.serviceWorker.ready,
    new Promise<never>((_, reject) =>
      setTimeout(
        () => reject(new Error("The app's service worker is not running yet; reload and try again.")),
        WORKER_WAIT_MS,
      ),
    ),
  ]);
  const key = base64UrlToBytes(publicKey);
  const existing = await registration.pushManager.getSubscription();
  if (existing) {
    if (sameKey(existing.options.applicationServerKey, key)) return existing;
    // Made for another server key (the keys were replaced): it would be refused, so start over.
    await existing.unsubscribe();
  }
  return registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
}

export function base64UrlToBytes(value: string): Uint8Array<ArrayBuffer> {
  const base64 = value
    .replace(/-/g, "+")
    .replace(/_/g, "/")
    .padEnd(Math.ceil(value.length / 4) * 4, "=");
  const binary = atob(base64);
  const bytes = new Uint8Array(new ArrayBuffer(binary.length));
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function sameKey(current: ArrayBuffer | null, wanted: Uint8Array): boolean {
  if (!current || current.byteLength !== wanted.byteLength) return false;
  const view = new Uint8Array(current);
  return view.every((b, i) => b === wanted[i]);
}
