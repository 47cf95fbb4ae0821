import "server-only";
import { ApiError } from "@/lib/api/errors";
import { TtlCache } from "@/lib/cache/ttl-cache";
import { db } from "@/lib/db/client";
import { env } from "@/lib/env";

const DAY_MS = 24 * 60 * 60 * 1000;

// Counting a day of messages on every send would put a query on the hot path: the count is read from the
// database at most once a minute per user and kept up to date here; near the quota it is always re-read, so the
// limit itself is exact (a few extra across several processes at worst).
const g = globalThis as unknown as { securevaultSendCounts?: TtlCache<{ count: number }> };
const counts: TtlCache<{ count: number }> = (g.securevaultSendCounts ??= new TtlCache(60_000));

/** Throws 429 naming the quota when the user has stored SEND_DAILY_QUOTA messages in the last 24 hours. */
export async function assertWithinDailyQuota(userId: string): Promise<void> {
  const quota = env.SEND_DAILY_QUOTA;
  let entry = counts.get(userId);
  if (!entry || entry.count >= quota - 1) {
    entry = { count: await countLastDay(userId) };
    counts.set(userId, entry);
  }
  if (entry.count >= quota) {
    throw new ApiError(
      "rate_limited",
      `You have reached the daily sending quota of ${quota} messages in 24 hours. Try again later.`,
      { retryAfterSeconds: await secondsUntilBelowQuota(userId, quota) },
    );
  }
}

/** Counts a message just stored, so the next check sees it without a query. */
export function countSentMessage(userId: string): void {
  const entry = counts.get(userId);
  if (entry) entry.count += 1;
}

function countLastDay(userId: string): Promise<number> {
  return db.message.count({ where: { userId, createdAt: { gte: new Date(Date.now() - DAY_MS) } } });
}

// The quota frees up when the oldest message counted in the window leaves it.
async function secondsUntilBelowQuota(userId: string, quota: number): Promise<number> {
  const since = new Date(Date.now() - DAY_MS);
  const oldest = await db.message.findFirst({
    where: { userId, createdAt: { gte: since } },
    orderBy: { createdAt: "desc" },
    skip: quota - 1,
    select: { createdAt: true },
  });
  return oldest ? Math.max(1, (oldest.createdAt.getTime() + DAY_MS - Date.now()) / 1000) : 60;
}
