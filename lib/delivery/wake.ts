// Lets the enqueue path nudge the in-process worker so a new message leaves at once instead of at the next
// poll. On globalThis because route handlers and instrumentation can be separate module instances.
import { processSingleton } from "@/lib/server/singleton";

type Waker = { listeners: Set<() => void> };
const waker: Waker = processSingleton("waker", () => ({ listeners: new Set() }));

export function wakeDeliveryWorker(): void {
  for (const listener of waker.listeners) listener();
}

export function onDeliveryWake(listener: () => void): () => void {
  waker.listeners.add(listener);
  return () => waker.listeners.delete(listener);
}
