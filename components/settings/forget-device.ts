import { swMessages } from "@/lib/offline/sw-protocol";

/** After sign out everywhere or account deletion: this device forgets the user's drafts, outbox and cached screens. */
export async function forgetThisDevice(userId: string): Promise<void> {
  await (await import("@/lib/offline/db")).clearUserData(userId);
  navigator.serviceWorker?.controller?.postMessage({ type: swMessages.clearPages });
}
