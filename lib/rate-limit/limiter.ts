import { ApiError } from "@/lib/api/errors";

export type RateLimitResult = { allowed: boolean; retryAfterSeconds: number; remaining: number };

/**
 * Fixed-window counter kept in this process's memory. Enough for one machine; a shared store replaces it when
 * several processes serve the same users.
 */
export class RateLimiter {
  private readonly hits = new Map<string, { count: number; resetAt: number }>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  consume(key: string): RateLimitResult {
    const now = this.now();
    if (this.hits.size > 10_000) this.sweep(now);
    let entry = this.hits.get(key);
    if (!entry || entry.resetAt <= now) {
      entry = { count: 0, resetAt: now + this.windowMs };
      this.hits.set(key, entry);
    }
    entry.count += 1;
    const retryAfterSeconds = Math.ceil((entry.resetAt - now) / 1000);
    return {
      allowed: entry.count <= this.limit,
      retryAfterSeconds,
      remaining: Math.max(0, this.limit - entry.count),
    };
  }

  /** Throws a 429 ApiError (with Retry-After) when the key is over its limit. */
  consumeOrThrow(key: string, message: string): void {
    const result = this.consume(key);
    if (!result.allowed) {
      throw new ApiError("rate_limited", message, { retryAfterSeconds: result.retryAfterSeconds });
    }
  }

  reset(key: string): void {
    this.hits.delete(key);
  }

  private sweep(now: number) {
    for (const [key, entry] of this.hits) if (entry.resetAt <= now) this.hits.delete(key);
  }
}
