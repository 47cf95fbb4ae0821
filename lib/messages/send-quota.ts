import "server-only";
import { ApiError } from "@/lib/api/errors";
import { TtlCache } from "@/lib/cache/ttl-cache";
import { db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { processSingleton } from "@/lib/server/singleton";

const DAY_MS = 24 * 60 * 60 * 1000;

// The quota counts recipients (To, Cc and Bcc), not messages: counting messages let one account send
// SEND_DAILY_QUOTA × 100 emails a day. Summing a day of messages on every send would put a query on the hot
// path: the sum is read from the database at most once a minute per user and kept up to date here; near the
// quota it is always re-read, so the limit itself is exact (a few extra across several processes at worst).
const counts = processSingleton("recipientCounts", () => new TtlCache<{ count: number }>(60_000));

/** Throws 429 naming the quota when `recipients` more would pass SEND_DAILY_QUOTA recipients in 24 hours. */
export async function assertWithinDailyQuota(userId: string, recipients: number): Promise<void> {
  const quota = env.SEND_DAILY_QUOTA;
  // One sum for all the requests that find no count (they share the entry it makes), as at expiry under load.
  let entry = (await counts.getOrLoad(userId, async () => ({ count: await countLastDay(userId) })))!;
  if (entry.count + recipients >= quota) {
    entry = { count: await countLastDay(userId) };
    counts.set(userId, entry);
  }
  if (entry.count + recipients > quota) {
    const left = Math.max(0, quota - entry.count);
    throw new ApiError(
      "rate_limited",
      `You have reached the daily sending quota of ${quota} recipients in 24 hours (${left} left, this message has ${recipients}). Try again later.`,
      { retryAfterSeconds: await secondsUntilRoomFor(userId, quota - recipients) },
    );
  }
}

/** Counts a message just stored, so the next check sees its recipients without a query. */
export function countSentMessage(userId: string, recipients: number): void {
  const entry = counts.get(userId);
  if (entry) entry.count += recipients;
}

async function countLastDay(userId: string): Promise<number> {
  const { _sum } = await db.message.aggregate({
    where: { userId, createdAt: { gte: new Date(Date.now() - DAY_MS) } },
    _sum: { recipientCount: true },
  });
  return _sum.recipientCount ?? 0;
}

// Room frees up as the oldest messages leave the window: the answer is when enough of them have left that the
// day's sum is at most `target`. Only read when refusing, over at most a day's messages (each has a recipient).
async function secondsUntilRoomFor(userId: string, target: number): Promise<number> {
  if (target < 0) return 24 * 60 * 60; // a message larger than the whole quota never fits
  const rows = await db.message.findMany({
    where: { userId, createdAt: { gte: new Date(Date.now() - DAY_MS) } },
    orderBy: { createdAt: "asc" },
    select: { createdAt: true, recipientCount: true },
  });
  let remaining = rows.reduce((sum, r) => sum + r.recipientCount, 0);
  for (const row of rows) {
    remaining -= row.recipientCount;
    if (remaining <= target) return Math.max(1, (row.createdAt.getTime() + DAY_MS - Date.now()) / 1000);
  }
  return 60;
}
