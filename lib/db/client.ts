import "server-only";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import fs from "node:fs";
import path from "node:path";
import { sqliteFilePath } from "@/lib/db/sqlite-path";
import { env } from "@/lib/env";
import { PrismaClient } from "@/lib/generated/prisma/client";

// One factory for the Prisma client: the driver adapter follows DATABASE_URL, and the client is cached on
// globalThis so dev-server reloads and tests reuse one connection.
const globalForDb = globalThis as unknown as { securevaultDb?: PrismaClient };

export function createDb(databaseUrl: string = env.databaseUrl): PrismaClient {
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new Error("PostgreSQL support is not built yet; use a file: URL for SQLite.");
  }
  const file = sqliteFilePath(databaseUrl);
  if (file !== ":memory:") fs.mkdirSync(path.dirname(file), { recursive: true });
  const adapter = new PrismaBetterSqlite3({ url: `file:${file}` });
  return new PrismaClient({ adapter });
}

export const db: PrismaClient = (globalForDb.securevaultDb ??= createDb());
