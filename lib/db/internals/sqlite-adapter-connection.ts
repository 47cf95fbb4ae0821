import type { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { DriverAdapterError, type SqlDriverAdapter } from "@prisma/driver-adapter-utils";
import type Database from "better-sqlite3";
import { takeRefusedBegin } from "@/lib/db/internals/sqlite-prepare";

// INTERNALS of @prisma/adapter-better-sqlite3 (checked against 7.10.0; tests/unit/db-internals.test.ts): the
// connection its factory's connect() resolves to keeps the better-sqlite3 Database it opened as `client`, a
// property its types do not show. The factory offers no hook of its own for the opened database.
export const CHECKED_AGAINST = { package: "@prisma/adapter-better-sqlite3", version: "7.10.0" } as const;

/**
 * Runs `opened` on the better-sqlite3 database of every connection the adapter factory opens, and makes the
 * connection's startTransaction release what it holds when its BEGIN was refused (lib/db/internals/sqlite-prepare.ts).
 */
export function onSqliteConnection(
  factory: PrismaBetterSqlite3,
  opened: (database: Database.Database) => void,
): void {
  const connect = factory.connect.bind(factory);
  factory.connect = async () => {
    const connection = await connect();
    const database = sqliteDatabaseOf(connection);
    opened(database);
    endRefusedTransactions(connection, database);
    return connection;
  };
}

// INTERNALS (same version): startTransaction takes the adapter's transaction mutex, then runs BEGIN; the mutex is
// released by the returned transaction's commit() or rollback(), which run no SQL themselves (Prisma sends COMMIT
// and ROLLBACK as queries first). A BEGIN that failed (kept by sqlite-prepare.ts's Begin rather than thrown,
// which would leave the mutex held for good) is ended here through the transaction's rollback() and thrown: a
// busy database as the adapter throws one, a timeout (P1008) the caller may retry; anything else as it came.
function endRefusedTransactions(connection: SqlDriverAdapter, database: Database.Database): void {
  const start = connection.startTransaction.bind(connection);
  connection.startTransaction = async (isolationLevel) => {
    const transaction = await start(isolationLevel);
    const refused = takeRefusedBegin(database);
    if (!refused) return transaction;
    await transaction.rollback();
    throw refused.busy ? new DriverAdapterError({ kind: "SocketTimeout" }) : refused.error;
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
