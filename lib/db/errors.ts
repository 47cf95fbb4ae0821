/** True for a unique-constraint violation (Prisma P2002), whichever driver adapter raised it. */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "P2002";
}

// Prisma's codes for a database that did not take the work in time: an operation timed out (P1008, which is how
// SQLite's "database is locked" after the busy timeout arrives), no connection from the pool in time (P2024), a
// transaction that could not start in time (P2028), a write conflict or deadlock to retry (P2034).
const BUSY_CODES = new Set(["P1008", "P2024", "P2028", "P2034"]);
// A raw query ($queryRaw, $executeRaw) fails with P2010 whatever the cause, and carries the driver adapter's
// error, whose kind says the same things.
const BUSY_ADAPTER_KINDS = new Set(["SocketTimeout", "TooManyConnections", "TransactionWriteConflict"]);

/** True when the database refused for now, not for good: the same work a moment later may succeed. */
export function isDatabaseBusy(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const { code, meta } = error as {
    code?: unknown;
    meta?: { driverAdapterError?: { cause?: { kind?: unknown } } };
  };
  if (typeof code === "string" && BUSY_CODES.has(code)) return true;
  const kind = meta?.driverAdapterError?.cause?.kind;
  return code === "P2010" && typeof kind === "string" && BUSY_ADAPTER_KINDS.has(kind);
}

/**
 * Runs `work`, and again while the database answers busy: `attempts` tries in all, `delayMs` apart, then the
 * last busy error is thrown. For writes whose loss would be worse than the wait (a delivered message's outcome).
 */
export async function retryWhileBusy<T>(
  work: () => Promise<T>,
  { attempts = 4, delayMs = 500 }: { attempts?: number; delayMs?: number } = {},
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (!isDatabaseBusy(error) || attempt >= attempts) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, delayMs));
  }
}
