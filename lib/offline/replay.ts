// The outbox sync protocol, run by the service worker (Background Sync) and by the page (fallbacks, "Retry
// now"). Each item is posted with its idempotency key, oldest first; the server's answer decides its fate:
// 2xx → delivered to the server, removed here; 4xx → needs the user's attention; 5xx or no network → kept, and
// the caller is told to try again later. One replay at a time across every tab and the worker (Web Locks).
import { offlineDb, type OutboxItem } from "@/lib/offline/db";
import type { MessageSummary } from "@/lib/messages/message-view";

export const OUTBOX_SYNC_TAG = "securevault-outbox";
const REPLAY_LOCK = "securevault-outbox-replay";
// A server that is briefly unavailable (503 during a deploy) gets a few quick retries before we give up for now.
const TRANSIENT_RETRY_DELAYS_MS = [500, 1500, 3000];

export type ReplayResult = {
  outcome: "done" | "signed-out" | "retry-later";
  sent: { key: string; message: MessageSummary }[];
  needsAttention: string[];
};

export class RetryLaterError extends Error {
  constructor(
    message: string,
    readonly result: ReplayResult,
  ) {
    super(message);
    this.name = "RetryLaterError";
  }
}

/**
 * Sends what the signed-in user has queued. Resolves when the outbox is empty (or only holds items that need
 * attention), or when nobody is signed in (items wait for the next sign-in). Rejects with RetryLaterError when
 * the network or the server failed, so a sync event can be retried by the browser.
 */
export function replayOutbox(): Promise<ReplayResult> {
  return withOutboxLock(runReplay);
}

/** Runs fn while no replay (in any tab or the worker) is running, and keeps others out until it is done. */
export async function withOutboxLock<T>(fn: () => Promise<T>): Promise<T> {
  if (typeof navigator !== "undefined" && "locks" in navigator) {
    return await navigator.locks.request(REPLAY_LOCK, fn);
  }
  // Browsers without Web Locks: serialise within this context at least.
  const next = fallbackChain.catch(() => undefined).then(fn);
  fallbackChain = next.catch(() => undefined);
  return next;
}

let fallbackChain: Promise<unknown> = Promise.resolve();

async function runReplay(): Promise<ReplayResult> {
  const result: ReplayResult = { outcome: "done", sent: [], needsAttention: [] };
  const account = await request("/api/account", { method: "GET" }, result);
  if (account.status === 401) return { ...result, outcome: "signed-out" };
  if (!account.ok)
    throw new RetryLaterError(`SecureVault answered ${account.status}`, {
      ...result,
      outcome: "retry-later",
    });
  const { user } = (await account.json()) as { user: { id: string } };

  const db = offlineDb();
  for (;;) {
    // Take what is queued now, oldest first; anything queued meanwhile is picked up by the next pass.
    const batch = await queuedItems(user.id);
    if (batch.length === 0) return result;
    await db.outbox.bulkUpdate(
      batch.map((item) => ({ key: item.key, changes: { state: "sending" as const } })),
    );
    try {
      for (const item of batch) {
        const outcome = await sendItem(item, user.id, result);
        if (outcome === "signed-out") return { ...result, outcome: "signed-out" };
      }
    } finally {
      // Whatever was not settled goes back to waiting (no network, server error, or signed out).
      await db.outbox.where("state").equals("sending").modify({ state: "queued" });
    }
  }
}

/** Posts one item and settles it; throws RetryLaterError when it should wait for the next replay. */
async function sendItem(
  item: OutboxItem,
  userId: string,
  result: ReplayResult,
): Promise<"settled" | "signed-out"> {
  const db = offlineDb();
  const attempt = { attempts: item.attempts + 1, lastAttemptAt: Date.now() };
  let res: Response;
  try {
    res = await request(
      "/api/messages",
      { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(item.message) },
      result,
    );
  } catch (error) {
    await db.outbox.update(item.key, attempt);
    throw error;
  }
  if (res.ok) {
    const { message } = (await res.json()) as { message: MessageSummary };
    await db.transaction("rw", db.outbox, db.sentCache, async () => {
      await db.outbox.delete(item.key);
      await db.sentCache.put({ ...message, userId });
    });
    result.sent.push({ key: item.key, message });
    return "settled";
  }
  if (res.status === 401) return "signed-out";
  if (res.status >= 500 || res.status === 429 || res.status === 408) {
    await db.outbox.update(item.key, attempt);
    throw new RetryLaterError(`SecureVault answered ${res.status}`, { ...result, outcome: "retry-later" });
  }
  const body = (await res.json().catch(() => null)) as {
    error?: { message: string; fields?: Record<string, string[]> };
  } | null;
  await db.outbox.update(item.key, {
    ...attempt,
    state: "needs-attention",
    error: {
      message: body?.error?.message ?? `Refused by SecureVault (${res.status}).`,
      fields: body?.error?.fields,
    },
  });
  result.needsAttention.push(item.key);
  return "settled";
}

function queuedItems(userId: string): Promise<OutboxItem[]> {
  // "sending" items are leftovers of a replay that died mid-way: we hold the lock, so nobody else is sending.
  return offlineDb()
    .outbox.where("[userId+queuedAt]")
    .between([userId, -Infinity], [userId, Infinity])
    .filter((i) => i.state !== "needs-attention")
    .toArray();
}

/** fetch with quick retries for transient server errors; network failure means "try again later". */
async function request(url: string, init: RequestInit, result: ReplayResult): Promise<Response> {
  for (let attempt = 0; ; attempt++) {
    let res: Response;
    try {
      res = await fetch(url, { ...init, credentials: "same-origin", cache: "no-store" });
    } catch {
      throw new RetryLaterError("No connection to SecureVault", { ...result, outcome: "retry-later" });
    }
    const transient = res.status === 502 || res.status === 503 || res.status === 504;
    const delay = TRANSIENT_RETRY_DELAYS_MS[attempt];
    if (!transient || delay === undefined) return res;
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}
