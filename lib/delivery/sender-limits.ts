import { env } from "@/lib/env";

/** How hard one sender may be driven: its own connection pool and its provider's sending limits. */
export type SenderLimits = {
  /** Connections in its pool; each carries up to MESSAGES_PER_CONNECTION messages in flight. */
  maxConnections: number;
  /** Messages per second, on average (bursts up to one second's worth); null for no limit. */
  maxPerSecond: number | null;
  /** Messages per rolling 24 hours; null for no limit. */
  maxPerDay: number | null;
};

// The providers' published limits for personal accounts, with some room: going over them gets an account
// blocked for a day, which is worse than waiting. Workspace / business accounts can raise them per sender.
const presetLimits: Record<string, Omit<SenderLimits, "maxConnections"> & { maxConnections?: number }> = {
  // Gmail: 500 messages a day for a personal account; Google throttles bursts on one connection.
  gmail: { maxConnections: 3, maxPerSecond: 2, maxPerDay: 500 },
  // Outlook.com / Microsoft 365: 30 messages a minute, at most 3 concurrent connections.
  outlook: { maxConnections: 2, maxPerSecond: 0.5, maxPerDay: 5_000 },
  // Yahoo: about 500 a day, and it dislikes fast senders.
  yahoo: { maxConnections: 2, maxPerSecond: 1, maxPerDay: 500 },
  custom: { maxPerSecond: null, maxPerDay: null },
  sandbox: { maxPerSecond: null, maxPerDay: null },
};

/**
 * Messages one connection may have claimed: the pool pipelines (RFC 2920) each transaction's envelope with the
 * previous message's data (one round trip a message: no message byte goes out before its MAIL and RCPT were
 * accepted), and the rest wait their turn while the outcomes before them are stored and the next claim is made.
 * Deep enough that the connections never wait on the database (measured when up to 32 transactions went on the
 * wire at once: 40 left them idle between claims, 200 did not). Bodies in flight stay within the worker's
 * character budget (DELIVERY_MAX_IN_FLIGHT_MB) however deep this is.
 */
export const MESSAGES_PER_CONNECTION = 200;

/** How many of a sender's messages the worker may hold claimed at once. */
export const maxInFlightFor = (limits: SenderLimits): number =>
  limits.maxConnections * MESSAGES_PER_CONNECTION;

type SenderOverrides = {
  preset: string;
  maxConnections: number | null;
  maxPerSecond: number | null;
  maxPerDay: number | null;
};

/** The preset's limits with the sender's own overrides on top. */
export function limitsFor(sender: SenderOverrides): SenderLimits {
  const preset = presetLimits[sender.preset] ?? presetLimits.custom!;
  return {
    maxConnections: sender.maxConnections ?? preset.maxConnections ?? env.DELIVERY_CONCURRENCY,
    maxPerSecond: sender.maxPerSecond ?? preset.maxPerSecond,
    maxPerDay: sender.maxPerDay ?? preset.maxPerDay,
  };
}
