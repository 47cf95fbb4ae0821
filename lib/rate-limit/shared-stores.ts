import "server-only";
import { Redis } from "ioredis";
import { db } from "@/lib/db/client";
import { sqlTimestamp } from "@/lib/db/dialect";
import type { RateStore } from "@/lib/rate-limit/stores";

// Stores shared by every process: the limits then hold however many web servers run.

// INCR, and on the window's first hit set its expiry; answer the count and the time left, in one round trip.
const HIT_SCRIPT = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {count, ttl}`;

// DECR only a live key with hits left: a release never creates a key or goes below zero.
const RELEASE_SCRIPT = `
local count = tonumber(redis.call('GET', KEYS[1]) or '0')
if count > 0 then redis.call('DECR', KEYS[1]) end
return 0`;

export class RedisRateStore implements RateStore {
  private readonly redis: Redis;

  constructor(url: string) {
    // Give up on a command after one retry instead of queueing it forever while Redis is away.
    this.redis = new Redis(url, { maxRetriesPerRequest: 1, connectTimeout: 2000 });
    this.redis.on("error", () => undefined); // reported through the failing commands, not as crashes
  }

  async hit(key: string, windowMs: number) {
    const [count, ttl] = (await this.redis.eval(HIT_SCRIPT, 1, `securevault:rl:${key}`, windowMs)) as [
      number,
      number,
    ];
    return { count, resetInMs: ttl };
  }

  async release(key: string) {
    await this.redis.eval(RELEASE_SCRIPT, 1, `securevault:rl:${key}`);
  }

  async reset(key: string) {
    await this.redis.del(`securevault:rl:${key}`);
  }

  close() {
    this.redis.disconnect();
  }
}

const PRUNE_EVERY_MS = 60_000;

/**
 * PostgreSQL: one upsert per hit on the RateLimitCounter table; a window past its end starts over. Rows whose
 * window started longer ago than the longest window any limit uses are dead for every limit: once a minute a
 * hit also deletes them, so the table holds only live windows.
 */
export class DatabaseRateStore implements RateStore {
  private nextPruneAt = 0;

  constructor(private readonly options: { longestWindowMs: () => number; now?: () => number }) {}

  async hit(key: string, windowMs: number) {
    const now = new Date(this.options.now?.() ?? Date.now());
    if (now.getTime() >= this.nextPruneAt) {
      this.nextPruneAt = now.getTime() + PRUNE_EVERY_MS;
      await this.prune(now);
    }
    const windowStartedBefore = new Date(now.getTime() - windowMs);
    // PostgreSQL cannot infer a parameter's type inside CASE: timestamps are cast there.
    const [row] = await db.$queryRaw<{ count: number; windowStart: Date }[]>`
      INSERT INTO "RateLimitCounter" ("key", "windowStart", "count") VALUES (${key}, ${sqlTimestamp(now)}, 1)
      ON CONFLICT ("key") DO UPDATE SET
        "count" = CASE WHEN "RateLimitCounter"."windowStart" <= ${sqlTimestamp(windowStartedBefore)} THEN 1
                       ELSE "RateLimitCounter"."count" + 1 END,
        "windowStart" = CASE WHEN "RateLimitCounter"."windowStart" <= ${sqlTimestamp(windowStartedBefore)} THEN ${sqlTimestamp(now)}
                       ELSE "RateLimitCounter"."windowStart" END
      RETURNING "count", "windowStart"`;
    const started = new Date(row!.windowStart).getTime();
    return { count: Number(row!.count), resetInMs: started + windowMs - now.getTime() };
  }

  async release(key: string) {
    await db.rateLimitCounter.updateMany({
      where: { key, count: { gt: 0 } },
      data: { count: { decrement: 1 } },
    });
  }

  async reset(key: string) {
    await db.rateLimitCounter.deleteMany({ where: { key } });
  }

  /** Deletes the rows no limit can count on any more; answers how many went. */
  async prune(now = new Date(this.options.now?.() ?? Date.now())): Promise<number> {
    const before = new Date(now.getTime() - this.options.longestWindowMs());
    const { count } = await db.rateLimitCounter.deleteMany({ where: { windowStart: { lt: before } } });
    return count;
  }
}
