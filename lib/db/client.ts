import "server-only";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { databaseProvider } from "@/lib/db/dialect";
import { onSqliteConnection } from "@/lib/db/internals/sqlite-adapter-connection";
import { reuseStatements } from "@/lib/db/internals/sqlite-prepare";
import { pgPoolConfig } from "@/lib/db/pg-config";
import { prepareSqliteFile, sqliteFilePath } from "@/lib/db/sqlite-path";
import { env } from "@/lib/env";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { PrismaClient as PostgresPrismaClient } from "@/lib/generated/prisma-pg/client";
import { processSingleton } from "@/lib/server/singleton";

// One factory for the Prisma client: the driver adapter follows the database in use (lib/db/dialect.ts), and
// the client is cached on globalThis so dev-server reloads and tests reuse one connection.

export const db: PrismaClient = processSingleton("db", () => createDb(env.databaseUrl));

function createDb(databaseUrl: string): PrismaClient {
  if (databaseProvider === "postgresql") {
    // The PostgreSQL client is generated from the same models (prisma/postgres/schema.prisma is made from
    // prisma/schema.prisma), so its API is the SQLite client's: callers see one type.
    const adapter = new PrismaPg(pgPoolConfig(databaseUrl));
    return new PostgresPrismaClient({ adapter }) as unknown as PrismaClient;
  }
  const file = sqliteFilePath(databaseUrl);
  prepareSqliteFile(file);
  const adapter = new PrismaBetterSqlite3({ url: `file:${file}` });
  onSqliteConnection(adapter, (database) => {
    // Statements prepared once, and transactions that take the write lock at BEGIN (see the file).
    reuseStatements(database);
    // The WAL is copied back into the database file when it reaches this many pages (4 KB each). SQLite's
    // 1,000 had the outbox's busiest pages (its status indexes) copied back again and again during a drain;
    // 10,000 copies each of them once per ~40 MB of changes (in a loop of the worker's claims and "sent"
    // updates, 15-20 % less time).
    database.pragma(`wal_autocheckpoint = ${WAL_CHECKPOINT_PAGES}`);
  });
  return new PrismaClient({ adapter });
}

const WAL_CHECKPOINT_PAGES = 10_000;
