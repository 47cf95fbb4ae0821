// What a device does when it learns that its session is over without having signed out itself — another
// device chose "Sign out everywhere", the password changed, or the session expired: it forgets the screens and
// mail data it kept for that user. The page remembers who was signed in, since a 401 no longer says.
import { PAGES_CACHE } from "@/lib/offline/sw-protocol";

const SIGNED_IN_KEY = "securevault.signed-in-user";

/** Called by the signed-in layout: this device holds data of this user. */
export function rememberSignedInUser(userId: string): void {
  try {
    localStorage.setItem(SIGNED_IN_KEY, userId);
  } catch {
    // Storage disabled: a revoked session then leaves its data until the next explicit sign-out.
  }
}

/** Whether a session was known on this device (a 401 then means it ended). */
export function rememberedSignedInUser(): string | null {
  try {
    return localStorage.getItem(SIGNED_IN_KEY);
  } catch {
    return null;
  }
}

/**
 * Clears the cached screens and the remembered user's drafts and Sent copies (not the outbox). Called on a 401
 * from the API (lib/api/client.ts); does nothing when no session was known on this device.
 */
export async function forgetEndedSession(): Promise<void> {
  const userId = rememberedSignedInUser();
  if (!userId) return;
  // Screens first: they are what a stranger picking up the device would see offline.
  if ("caches" in globalThis) await caches.delete(PAGES_CACHE);
  await (await import("@/lib/offline/db")).clearRevokedUserData(userId);
  await stopPushToThisDevice();
  localStorage.removeItem(SIGNED_IN_KEY);
}

/**
 * Ends this browser's push subscription: the server removed it already when the session was revoked, and on
 * an explicit sign-out this stops notifications (which name recipients and subjects) to a signed-out device.
 */
export async function stopPushToThisDevice(): Promise<void> {
  try {
    const { currentPushSubscription } = await import("@/lib/push/browser-push");
    await (await currentPushSubscription())?.unsubscribe();
  } catch {
    // No push support, or already gone.
  }
}
