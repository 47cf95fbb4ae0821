import { describe, expect, it } from "vitest";
import { quickRetryDelayMs, sendVerdict } from "@/lib/offline/retry-policy";

describe("sendVerdict: one rule for Compose and the outbox replay", () => {
  it.each([
    [200, "accepted"],
    [202, "accepted"],
    [0, "retry-later"],
    [408, "retry-later"],
    [429, "retry-later"],
    [500, "retry-later"],
    [502, "retry-later"],
    [503, "retry-later"],
    [504, "retry-later"],
    [401, "signed-out"],
    [400, "refused"],
    [403, "refused"],
    [404, "refused"],
    [409, "refused"],
    [413, "refused"],
    [422, "refused"],
  ] as const)("answer %i → %s", (status, verdict) => {
    expect(sendVerdict(status)).toBe(verdict);
  });
});

describe("quickRetryDelayMs: a briefly unavailable server gets a few quick retries", () => {
  it.each([502, 503, 504])("%i is retried three times, each pause longer, then left for later", (status) => {
    const delays = [0, 1, 2, 3].map((attempt) => quickRetryDelayMs(status, attempt));
    expect(delays.slice(0, 3).every((d) => typeof d === "number" && d > 0)).toBe(true);
    expect(delays[1]!).toBeGreaterThan(delays[0]!);
    expect(delays[2]!).toBeGreaterThan(delays[1]!);
    expect(delays[3]).toBeUndefined();
  });

  it.each([200, 400, 408, 429, 500])("%i is taken as it is", (status) => {
    expect(quickRetryDelayMs(status, 0)).toBeUndefined();
  });
});
