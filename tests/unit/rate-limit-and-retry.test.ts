import { describe, expect, it } from "vitest";
import { nextRetryAt, nextRetryDelayMs } from "@/lib/delivery/retry";
import { RateLimiter } from "@/lib/rate-limit/limiter";
import { MemoryRateStore } from "@/lib/rate-limit/stores";

describe("RateLimiter", () => {
  it("allows the limit, then refuses with the seconds left in the window, then resets", async () => {
    let now = 0;
    const limiter = new RateLimiter("test", 3, 60_000, new MemoryRateStore(() => now));
    const first = [];
    for (let i = 0; i < 3; i++) first.push((await limiter.consume("k")).allowed);
    expect(first).toEqual([true, true, true]);
    now = 15_000;
    expect(await limiter.consume("k")).toMatchObject({ allowed: false, retryAfterSeconds: 45 });
    expect((await limiter.consume("other")).allowed).toBe(true);
    now = 60_000;
    expect((await limiter.consume("k")).allowed).toBe(true);
  });
});

describe("MemoryRateStore", () => {
  it("never holds more than its bound of keys, however many addresses a flood makes up", async () => {
    const store = new MemoryRateStore(() => 0, 1000);
    for (let i = 0; i < 20_000; i++) await store.hit(`signin-address:198.51.${i >> 8}.${i & 255}`, 60_000);
    expect(store.size).toBe(1000);
  });

  it("keeps counting a key that is still being hit while a flood pushes others out", async () => {
    const store = new MemoryRateStore(() => 0, 1000);
    let count = 0;
    for (let i = 0; i < 20_000; i++) {
      await store.hit(`flood-${i}`, 60_000);
      if (i % 100 === 0) count = (await store.hit("guesser", 60_000)).count;
    }
    expect(count).toBe(200);
  });

  it("drops expired keys as new hits arrive, without waiting for the bound", async () => {
    let now = 0;
    const store = new MemoryRateStore(() => now, 100_000);
    for (let i = 0; i < 5000; i++) await store.hit(`old-${i}`, 60_000);
    now = 60_000;
    for (let i = 0; i < 5000; i++) await store.hit(`new-${i}`, 60_000);
    expect(store.size).toBe(5000);
  });
});

describe("nextRetryDelayMs", () => {
  it.each([
    [1, 15_000, 30_000],
    [2, 30_000, 60_000],
    [3, 60_000, 120_000],
    [20, 30 * 60_000, 60 * 60_000],
  ])("attempt %i waits between %i and %i ms", (attempt, min, max) => {
    expect(nextRetryDelayMs(attempt, () => 0)).toBe(min);
    expect(nextRetryDelayMs(attempt, () => 1)).toBe(max);
  });
});

describe("nextRetryAt", () => {
  const limits = { maxAttempts: 3, maxAgeMs: 3_600_000 };
  const created = new Date("2026-01-01T00:00:00Z");

  it("schedules the next try with backoff while attempts and age allow", () => {
    const now = new Date(created.getTime() + 60_000);
    expect(nextRetryAt(1, created, now, limits, () => 1)?.getTime()).toBe(now.getTime() + 30_000);
    expect(nextRetryAt(2, created, now, limits, () => 0)?.getTime()).toBe(now.getTime() + 30_000);
  });

  it("gives up when the attempts are used", () => {
    expect(nextRetryAt(3, created, created, limits)).toBeNull();
  });

  it("gives up when the next try would fall after the maximum age", () => {
    const late = new Date(created.getTime() + 3_600_000 - 10_000);
    expect(nextRetryAt(1, created, late, limits, () => 1)).toBeNull();
  });
});
