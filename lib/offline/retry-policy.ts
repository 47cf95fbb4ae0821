// When a send that did not go through is kept and tried again later, and when it needs the user. One rule for
// Compose's Send (components/compose/use-send.ts) and the outbox replay (lib/offline/replay.ts), so a message
// the page would queue is never one the service worker gives up on, and the other way round.
//
// Try again later: no answer at all (offline, network error: status 0), 408 (the request timed out on the
// way), 429 (too many sends just now) and every 5xx (the server could not take it). Each send carries its
// idempotency key, so trying again can never send twice.
// Signed out: 401 — kept until the same user signs in again.
// Refused: any other answer that is not 2xx (400, 403, 404, 409, 413 …) — sending it again would get the
// same answer, so the user must change something.

export type SendVerdict = "accepted" | "retry-later" | "signed-out" | "refused";

/** What to do with a message after POST /api/messages answered `status` (0 when nothing answered). */
export function sendVerdict(status: number): SendVerdict {
  if (status >= 200 && status < 300) return "accepted";
  if (status === 0 || status === 408 || status === 429 || status >= 500) return "retry-later";
  if (status === 401) return "signed-out";
  return "refused";
}

/**
 * A server that is briefly unavailable (502/503/504, as during a deploy) gets a few quick retries within the
 * same attempt before the message is left for later. Returns the pause before the next quick retry, or
 * undefined when this answer should be taken as it is.
 */
export function quickRetryDelayMs(status: number, attempt: number): number | undefined {
  if (status !== 502 && status !== 503 && status !== 504) return undefined;
  return QUICK_RETRY_DELAYS_MS[attempt];
}

const QUICK_RETRY_DELAYS_MS = [500, 1500, 3000];
