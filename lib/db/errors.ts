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
