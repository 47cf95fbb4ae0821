import "server-only";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import type Database from "better-sqlite3";
import { pgPoolConfig } from "@/lib/db/pg-config";
import { providerOf } from "@/lib/db/provider";
import { prepareSqliteFile, sqliteFilePath } from "@/lib/db/sqlite-path";
import { reuseStatements } from "@/lib/db/sqlite-statements";
import { env } from "@/lib/env";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { PrismaClient as PostgresPrismaClient } from "@/lib/generated/prisma-pg/client";

// One factory for the Prisma client: the driver adapter follows DATABASE_URL, and the client is cached on
// globalThis so dev-server reloads and tests reuse one connection.
const globalForDb = globalThis as unknown as { securevaultDb?: PrismaClient };

export function createDb(databaseUrl: string = env.databaseUrl): PrismaClient {
  if (providerOf(databaseUrl) === "postgresql") {
    // The PostgreSQL client is generated from the same models (prisma/postgres/schema.prisma is made from
    // prisma/schema.prisma), so its API is the SQLite client's: callers see one type.
    const adapter = new PrismaPg(pgPoolConfig(databaseUrl));
    return new PostgresPrismaClient({ adapter }) as unknown as PrismaClient;
  }
  const file = sqliteFilePath(databaseUrl);
  prepareSqliteFile(file);
  const adapter = new PrismaBetterSqlite3({ url: `file:${file}` });
  const connect = adapter.connect.bind(adapter);
  adapter.connect = async () => {
    const connection = await connect();
    // The adapter's connection keeps its better-sqlite3 database as `client` (not in its types).
    reuseStatements((connection as unknown as { client: Database.Database }).client);
    return connection;
  };
  return new PrismaClient({ adapter });
}

export const db: PrismaClient = (globalForDb.securevaultDb ??= createDb());
