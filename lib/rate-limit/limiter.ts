import { ApiError } from "@/lib/api/errors";
import type { RateStore } from "@/lib/rate-limit/stores";
import { MemoryRateStore } from "@/lib/rate-limit/stores";

export type RateLimitResult = { allowed: boolean; retryAfterSeconds: number; remaining: number };

/**
 * A fixed-window limit: `limit` hits per key per window. The counts live in a store — this process's memory by
 * default; Redis or the database when several processes serve the same users (lib/rate-limit/limits.ts).
 */
export class RateLimiter {
  constructor(
    private readonly name: string,
    private readonly limit: number,
    readonly windowMs: number,
    private readonly store: RateStore = new MemoryRateStore(),
  ) {}

  async consume(key: string): Promise<RateLimitResult> {
    const { count, resetInMs } = await this.store.hit(`${this.name}:${key}`, this.windowMs);
    return {
      allowed: count <= this.limit,
      retryAfterSeconds: Math.max(1, Math.ceil(resetInMs / 1000)),
      remaining: Math.max(0, this.limit - count),
    };
  }

  /** Throws a 429 ApiError (with Retry-After) when the key is over its limit. */
  async consumeOrThrow(key: string, message: string): Promise<void> {
    const result = await this.consume(key);
    if (!result.allowed) {
      throw new ApiError("rate_limited", message, { retryAfterSeconds: result.retryAfterSeconds });
    }
  }

  /** Gives back one hit: an attempt that turned out to be no reason to slow anyone down. */
  async release(key: string): Promise<void> {
    await this.store.release(`${this.name}:${key}`);
  }

  async reset(key: string): Promise<void> {
    await this.store.reset(`${this.name}:${key}`);
  }
}
