export const MAX_ATTEMPTS = 8;

/** Exponential backoff with full jitter: about 30 s, 1 min, 2 min … capped at 1 h. */
export function nextRetryDelayMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(30_000 * 2 ** Math.max(0, attempt - 1), 60 * 60_000);
  return Math.round(base / 2 + random() * (base / 2));
}
