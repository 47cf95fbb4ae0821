import { describe, expect, it } from "vitest";
import { nextRetryDelayMs } from "@/lib/delivery/retry";
import { RateLimiter } from "@/lib/rate-limit/limiter";

describe("RateLimiter", () => {
  it("allows the limit, then refuses with the seconds left in the window, then resets", () => {
    let now = 0;
    const limiter = new RateLimiter(3, 60_000, () => now);
    expect([1, 2, 3].map(() => limiter.consume("k").allowed)).toEqual([true, true, true]);
    now = 15_000;
    expect(limiter.consume("k")).toMatchObject({ allowed: false, retryAfterSeconds: 45 });
    expect(limiter.consume("other").allowed).toBe(true);
    now = 60_000;
    expect(limiter.consume("k").allowed).toBe(true);
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
