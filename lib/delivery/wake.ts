// Lets the enqueue path nudge the in-process worker so a new message leaves at once instead of at the next
// poll. On globalThis because route handlers and instrumentation can be separate module instances.
type Waker = { listeners: Set<() => void> };
const g = globalThis as unknown as { securevaultWaker?: Waker };
const waker: Waker = (g.securevaultWaker ??= { listeners: new Set() });

export function wakeDeliveryWorker(): void {
  for (const listener of waker.listeners) listener();
}

export function onDeliveryWake(listener: () => void): () => void {
  waker.listeners.add(listener);
  return () => waker.listeners.delete(listener);
}
