import { env } from "@/lib/env";

export type RetryLimits = { maxAttempts: number; maxAgeMs: number };

export const retryLimits = (): RetryLimits => ({
  maxAttempts: env.DELIVERY_MAX_ATTEMPTS,
  maxAgeMs: env.DELIVERY_MAX_AGE_HOURS * 3_600_000,
});

/** Exponential backoff with full jitter: about 30 s, 1 min, 2 min … capped at 1 h. */
export function nextRetryDelayMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(30_000 * 2 ** Math.max(0, attempt - 1), 60 * 60_000);
  return Math.round(base / 2 + random() * (base / 2));
}

/**
 * After a temporary failure: the time of the next try, or null when the message has used its attempts or
 * would be tried after its maximum age — then it fails now rather than sit in the queue.
 */
export function nextRetryAt(
  attempts: number,
  createdAt: Date,
  now: Date,
  limits: RetryLimits,
  random: () => number = Math.random,
): Date | null {
  if (attempts >= limits.maxAttempts) return null;
  const at = new Date(now.getTime() + nextRetryDelayMs(attempts, random));
  return at.getTime() - createdAt.getTime() > limits.maxAgeMs ? null : at;
}
