import { metrics } from "@/lib/observability/metrics";
import { processSingleton } from "@/lib/server/singleton";

// How push requests ended, counted per process since it started: for logs, metrics and tests.
export type PushResult =
  | "sent" // the push service accepted the message
  | "expired" // 404/410: the subscription is gone, and was deleted
  | "rejected" // any other HTTP error from the push service
  | "timeout" // no answer within PUSH_TIMEOUT_MS
  | "unreachable" // connection refused, reset, DNS failure …
  | "blocked" // the endpoint resolved to a private address
  | "invalid"; // the subscription's keys cannot encrypt a message

/** Live counters; read them, never write them (countPushResult does). */
export const pushResults: Readonly<Record<PushResult, number>> = processSingleton(
  "pushResults",
  (): Record<PushResult, number> => ({
    sent: 0,
    expired: 0,
    rejected: 0,
    timeout: 0,
    unreachable: 0,
    blocked: 0,
    invalid: 0,
  }),
);

export function countPushResult(result: PushResult): void {
  (pushResults as Record<PushResult, number>)[result] += 1;
  metrics.push.inc({ result });
}
