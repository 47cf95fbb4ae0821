import { afterAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { RateLimiter } from "@/lib/rate-limit/limiter";
import { DatabaseRateStore, RedisRateStore } from "@/lib/rate-limit/shared-stores";
import { answers, testRedisUrl } from "@/tests/support/test-services";

// Two limiters with their own store connections stand for two server processes: the limit must hold across
// them, because the count lives in the shared store.
const REDIS_URL = testRedisUrl;
const redisUp = await answers(REDIS_URL, 6379);
if (!redisUp)
  console.log(`Redis rate-limit test skipped: nothing answers at ${REDIS_URL} (set TEST_REDIS_URL).`);

const opened: RedisRateStore[] = [];
afterAll(() => opened.forEach((s) => s.close()));

async function twoProcesses(makeStore: () => RedisRateStore | DatabaseRateStore, limit: number) {
  const name = `shared-${Date.now()}-${Math.random()}`;
  return [
    new RateLimiter(name, limit, 60_000, makeStore()),
    new RateLimiter(name, limit, 60_000, makeStore()),
  ];
}

async function expectSharedLimit(a: RateLimiter, b: RateLimiter) {
  const results = [];
  for (let i = 0; i < 6; i++) results.push((await (i % 2 ? a : b).consume("user-1")).allowed);
  expect(results).toEqual([true, true, true, true, false, false]);
  const refused = await a.consume("user-1");
  expect(refused.retryAfterSeconds).toBeGreaterThan(50);
  expect((await b.consume("user-2")).allowed).toBe(true);
  await a.reset("user-1");
  expect((await b.consume("user-1")).allowed).toBe(true);
}

describe("rate limits shared across processes", () => {
  it("hold across two processes through the database", async () => {
    const [a, b] = await twoProcesses(() => new DatabaseRateStore({ longestWindowMs: () => 60_000 }), 4);
    await expectSharedLimit(a!, b!);
  });

  it.runIf(redisUp)("hold across two processes through Redis", async () => {
    const [a, b] = await twoProcesses(() => {
      const store = new RedisRateStore(REDIS_URL);
      opened.push(store);
      return store;
    }, 4);
    await expectSharedLimit(a!, b!);
  });
});

describe("the database's counters", () => {
  it("are pruned once their window is over for every limit, by a hit at most a minute apart", async () => {
    let now = Date.parse("2026-03-01T00:00:00Z");
    const store = new DatabaseRateStore({ longestWindowMs: () => 3_600_000, now: () => now });
    const prefix = `prune-${Math.random()}`;
    for (let i = 0; i < 50; i++) await store.hit(`${prefix}:old-${i}`, 60_000);
    now += 30 * 60_000;
    await store.hit(`${prefix}:recent`, 3_600_000);
    const rows = () => db.rateLimitCounter.count({ where: { key: { startsWith: prefix } } });
    expect(await rows()).toBe(51);
    // An hour after the first hits: those rows are past the longest window; the recent one is not.
    now += 31 * 60_000;
    await store.hit(`${prefix}:new`, 60_000);
    expect(await rows()).toBe(2);
    expect(
      (await db.rateLimitCounter.findMany({ where: { key: { startsWith: prefix } } }))
        .map((r) => r.key)
        .sort(),
    ).toEqual([`${prefix}:new`, `${prefix}:recent`]);
  });
});
