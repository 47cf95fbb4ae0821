import type { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import type Database from "better-sqlite3";

// INTERNALS of @prisma/adapter-better-sqlite3 (checked against 7.10.0; tests/unit/db-internals.test.ts): the
// connection its factory's connect() resolves to keeps the better-sqlite3 Database it opened as `client`, a
// property its types do not show. The factory offers no hook of its own for the opened database.
export const CHECKED_AGAINST = { package: "@prisma/adapter-better-sqlite3", version: "7.10.0" } as const;

/** Runs `opened` on the better-sqlite3 database of every connection the adapter factory opens. */
export function onSqliteConnection(
  factory: PrismaBetterSqlite3,
  opened: (database: Database.Database) => void,
): void {
  const connect = factory.connect.bind(factory);
  factory.connect = async () => {
    const connection = await connect();
    opened(sqliteDatabaseOf(connection));
    return connection;
  };
}

/** The better-sqlite3 database behind one of the adapter's connections; throws if it is no longer where it was. */
export function sqliteDatabaseOf(connection: object): Database.Database {
  const client = (connection as { client?: Database.Database }).client;
  if (!client || typeof client.prepare !== "function") {
    throw new Error(
      `${CHECKED_AGAINST.package}'s connection no longer keeps its database as \`client\` (checked against ` +
        `${CHECKED_AGAINST.version}): see lib/db/internals/README.md`,
    );
  }
  return client;
}
