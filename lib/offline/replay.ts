// The outbox sync protocol, run by the service worker (Background Sync) and by the page (fallbacks, "Retry
// now"). Each item is posted with its idempotency key, oldest first; the server's answer decides its fate:
// 2xx → delivered to the server, removed here; "try again later" (lib/offline/retry-policy.ts, the same rule as
// Compose's Send) → kept, and the caller is told to try again later; 401 → waits for the next sign-in; any other
// refusal → needs the user's attention. One replay at a time across every tab and the worker (Web Locks).
import { offlineDb, type OutboxItem } from "@/lib/offline/db";
import type { MessageSummary } from "@/lib/messages/message-view";
import { quickRetryDelayMs, sendVerdict } from "@/lib/offline/retry-policy";
import type { ApiErrorBody } from "@/lib/api/error-body";
import { ensureUploaded, requestBody, UploadRefusedError } from "@/lib/offline/attachment-files";

export const OUTBOX_SYNC_TAG = "securevault-outbox";
const REPLAY_LOCK = "securevault-outbox-replay";
// Requests in flight at once during a replay: enough to keep the server's group commit busy, and fewer than a
// browser's six connections per site, so the open screens still get theirs.
const PARALLEL_SENDS = 4;
// One POST /api/outbox carries at most this many messages and bytes (the server's caps are 50 and 2 MB): a
// hundred messages go as four requests in parallel. A message too large for a group goes alone to /api/messages.
const GROUP_MAX_MESSAGES = 25;
const GROUP_MAX_BYTES = 1024 * 1024;

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
      if ((await sendBatch(batch, user.id, result)) === "signed-out") {
        return { ...result, outcome: "signed-out" };
      }
    } finally {
      // Whatever was not settled goes back to waiting (no network, server error, or signed out).
      await db.outbox.where("state").equals("sending").modify({ state: "queued" });
    }
  }
}

/**
 * Posts a batch as a few requests of several messages each (POST /api/outbox), a few requests at a time. One
 * request per message took seconds for a hundred messages queued offline; the idempotency keys make grouping
 * and order of arrival irrelevant to what is stored. At the first "signed out" or RetryLaterError no further
 * request starts; those already under way settle, then that outcome is given.
 */
async function sendBatch(
  batch: OutboxItem[],
  userId: string,
  result: ReplayResult,
): Promise<"settled" | "signed-out"> {
  const groups = groupForRequests(batch);
  let next = 0;
  let stop = null as { signedOut: true } | { error: unknown } | null;
  const lane = async () => {
    while (!stop && next < groups.length) {
      const group = groups[next++]!;
      try {
        if ((await sendGroup(group, userId, result)) === "signed-out") stop ??= { signedOut: true };
      } catch (error) {
        stop ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_SENDS, groups.length) }, lane));
  if (stop && "error" in stop) throw stop.error;
  return stop ? "signed-out" : "settled";
}

/** Oldest first, in groups within the server's limits for one POST /api/outbox (lib/validation/messages.ts). */
function groupForRequests(items: OutboxItem[]): OutboxItem[][] {
  const groups: OutboxItem[][] = [];
  let group: OutboxItem[] = [];
  let bytes = 0;
  for (const item of items) {
    // A message with files still to upload goes on its own (sendItem uploads them first).
    if (item.message.files?.length) {
      groups.push([item]);
      continue;
    }
    const size = JSON.stringify(item.message).length * 3; // UTF-8 worst case: no request goes over the cap
    if (group.length && (group.length >= GROUP_MAX_MESSAGES || bytes + size > GROUP_MAX_BYTES)) {
      groups.push(group);
      group = [];
      bytes = 0;
    }
    group.push(item);
    bytes += size;
  }
  if (group.length) groups.push(group);
  return groups;
}

/** Posts a group in one request and settles each item by its own answer. */
async function sendGroup(
  items: OutboxItem[],
  userId: string,
  result: ReplayResult,
): Promise<"settled" | "signed-out"> {
  if (items.length === 1) return sendItem(items[0]!, userId, result);
  let res: Response;
  try {
    res = await request(
      "/api/outbox",
      {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ messages: items.map((item) => requestBody(item.message)) }),
      },
      result,
    );
  } catch (error) {
    await Promise.all(items.map((item) => recordAttempt(item)));
    throw error;
  }
  const verdict = sendVerdict(res.status);
  if (verdict === "signed-out") return "signed-out";
  if (verdict === "retry-later") {
    await Promise.all(items.map((item) => recordAttempt(item)));
    throw new RetryLaterError(`SecureVault answered ${res.status}`, { ...result, outcome: "retry-later" });
  }
  const answer = verdict === "accepted" ? ((await res.json().catch(() => null)) as BatchAnswer | null) : null;
  if (!answer || answer.results?.length !== items.length) {
    // Refused as a whole (a message the group cannot carry, such as a NUL character): one request per
    // message, so each gets its own answer.
    for (const item of items) {
      if ((await sendItem(item, userId, result)) === "signed-out") return "signed-out";
    }
    return "settled";
  }
  const verdicts = await Promise.all(
    items.map((item, i) => settleItem(item, answer.results[i]!.status, answer.results[i], userId, result)),
  );
  if (verdicts.includes("signed-out")) return "signed-out";
  if (verdicts.includes("retry-later")) {
    throw new RetryLaterError("SecureVault could not take every message yet", {
      ...result,
      outcome: "retry-later",
    });
  }
  return "settled";
}

type BatchAnswer = { results: ({ status: number } & Partial<ApiErrorBody> & { message?: MessageSummary })[] };

/** Posts one item and settles it; throws RetryLaterError when it should wait for the next replay. */
async function sendItem(
  item: OutboxItem,
  userId: string,
  result: ReplayResult,
): Promise<"settled" | "signed-out"> {
  const db = offlineDb();
  const attempt = { attempts: item.attempts + 1, lastAttemptAt: Date.now() };
  let message = item.message;
  // Its files first (each upload idempotent by its key), their ids kept as they arrive: the message is posted
  // only with all of them, never without.
  if (message.files?.some((f) => !f.attachmentId)) {
    try {
      message = { ...message, files: await ensureUploaded(message.files) };
      await db.outbox.update(item.key, { message });
    } catch (error) {
      if (error instanceof UploadRefusedError && error.status === 401) return "signed-out";
      if (error instanceof UploadRefusedError) {
        await db.outbox.update(item.key, {
          ...attempt,
          state: "needs-attention",
          error: { message: error.message, fields: error.fields },
        });
        result.needsAttention.push(item.key);
        return "settled";
      }
      await db.outbox.update(item.key, attempt);
      throw new RetryLaterError("No connection to SecureVault", { ...result, outcome: "retry-later" });
    }
  }
  let res: Response;
  try {
    res = await request(
      "/api/messages",
      {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(requestBody(message)),
      },
      result,
    );
  } catch (error) {
    await recordAttempt(item);
    throw error;
  }
  const body = (await res.json().catch(() => null)) as
    (Partial<ApiErrorBody> & { message?: MessageSummary }) | null;
  const verdict = await settleItem(item, res.status, body, userId, result);
  if (verdict === "retry-later") {
    throw new RetryLaterError(`SecureVault answered ${res.status}`, { ...result, outcome: "retry-later" });
  }
  return verdict;
}

/** Applies the server's answer for one item: removed when accepted, kept for later, or marked for the user. */
async function settleItem(
  item: OutboxItem,
  status: number,
  body: (Partial<ApiErrorBody> & { message?: MessageSummary }) | null | undefined,
  userId: string,
  result: ReplayResult,
): Promise<"settled" | "signed-out" | "retry-later"> {
  const db = offlineDb();
  const verdict = sendVerdict(status);
  if (verdict === "accepted" && body?.message) {
    const message = body.message;
    await db.transaction("rw", db.outbox, db.sentCache, async () => {
      await db.outbox.delete(item.key);
      await db.sentCache.put({ ...message, userId });
    });
    result.sent.push({ key: item.key, message });
    return "settled";
  }
  if (verdict === "signed-out") return "signed-out";
  if (verdict === "retry-later" || verdict === "accepted") {
    // (A 2xx without the stored message cannot be settled: asked again, the idempotency key answers it.)
    await recordAttempt(item);
    return "retry-later";
  }
  await db.outbox.update(item.key, {
    attempts: item.attempts + 1,
    lastAttemptAt: Date.now(),
    state: "needs-attention",
    error: {
      message: body?.error?.message ?? `Refused by SecureVault (${status}).`,
      fields: body?.error?.fields,
    },
  });
  result.needsAttention.push(item.key);
  return "settled";
}

function recordAttempt(item: OutboxItem) {
  return offlineDb().outbox.update(item.key, { attempts: item.attempts + 1, lastAttemptAt: Date.now() });
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
    const delay = quickRetryDelayMs(res.status, attempt);
    if (delay === undefined) return res;
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}
