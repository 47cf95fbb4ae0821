import { env } from "@/lib/env";

/** How hard one sender may be driven: its own connection pool and its provider's sending limits. */
export type SenderLimits = {
  /** Connections in its pool, which is also how many of its messages are in flight at once. */
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
