import { providerOf, type Provider } from "@/lib/db/provider";
import { env } from "@/lib/env";
import { Prisma } from "@/lib/generated/prisma/client";

// The database in use — decided here, once, from DATABASE_URL — and the few ways its SQL differs. Everything
// that writes raw SQL for both databases takes the difference from here instead of asking the URL again.

export const databaseProvider: Provider = providerOf(env.databaseUrl);
export const onPostgres = databaseProvider === "postgresql";

/** A JSON value as a statement parameter: PostgreSQL wants it typed; SQLite stores JSON as text. */
export const sqlJson = (value: unknown): Prisma.Sql =>
  onPostgres ? Prisma.sql`CAST(${JSON.stringify(value)} AS jsonb)` : Prisma.sql`${JSON.stringify(value)}`;

/** A timestamp as a statement parameter: PostgreSQL wants it typed; SQLite stores it as text. */
export const sqlTimestamp = (value: Date | null): Prisma.Sql =>
  onPostgres ? Prisma.sql`CAST(${value} AS timestamp(3))` : Prisma.sql`${value}`;

/** A timestamp as text inside JSON parameters, as each database's own DateTime columns hold it (so they compare). */
export const timestampText = (value: Date): string =>
  onPostgres ? value.toISOString() : value.toISOString().replace("Z", "+00:00");

/**
 * Appended to a SELECT whose rows a transaction goes on to change while other workers do the same: on
 * PostgreSQL the rows are locked and rows another transaction holds are skipped, so concurrent claims take
 * different rows without waiting. SQLite has one writer at a time (its transactions take the write lock at
 * BEGIN, lib/db/internals/sqlite-prepare.ts), which makes the same statement safe without it.
 */
export const lockRowsSkipLocked: Prisma.Sql = onPostgres ? Prisma.sql`FOR UPDATE SKIP LOCKED` : Prisma.empty;

/** Locks the selected rows until the transaction ends (PostgreSQL); SQLite's transactions hold its one write lock. */
export const lockRows: Prisma.Sql = onPostgres ? Prisma.sql`FOR UPDATE` : Prisma.empty;
