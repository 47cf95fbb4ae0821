import type Database from "better-sqlite3";

// INTERNALS of @prisma/adapter-better-sqlite3 (checked against 7.10.0; tests/unit/db-internals.test.ts): its
// queryable runs every statement as `client.prepare(sql).bind(args)` then `run()`, or `reader`, `columns()` and
// `raw().all()`; its startTransaction runs `client.prepare("BEGIN").run()`. Both are replaced on the connection's
// better-sqlite3 database, which lib/db/internals/sqlite-adapter-connection.ts hands over.
export const CHECKED_AGAINST = { package: "@prisma/adapter-better-sqlite3", version: "7.10.0" } as const;

// Prisma's SQLite adapter prepares every statement anew on every call, and binds its parameters to the
// statement for good, so a prepared statement is never used twice. In profiles of the delivery worker, preparing
// shows up: its claim statement alone is a few hundred characters of SQL compiled again on every pass.
// This keeps the statements the adapter asks for, by their SQL, and hands it a light wrapper per call that keeps
// that call's parameters and runs the shared statement with them. better-sqlite3 is synchronous and the adapter
// runs each statement within one call, so a shared statement is never in use twice at once.
//
// It also makes the adapter's transactions BEGIN IMMEDIATE. A plain BEGIN takes the write lock only at the
// first write: a transaction that reads, then writes, fails with SQLITE_BUSY at once — without waiting — when
// another connection wrote in between (the web server and a worker process). Taking the lock at BEGIN makes it
// wait its turn (busy timeout) instead. (No public option of the adapter does either.) A BEGIN still refused after
// the busy timeout is kept, not thrown (see Begin below): the adapter would leak its transaction mutex.

/** Distinct SQL texts kept; Prisma's own queries vary with the number of values in an IN list, so some churn. */
const MAX_STATEMENTS = 512;

/** The parts of a better-sqlite3 statement the adapter uses (lib: @prisma/adapter-better-sqlite3 executeIO, performIO). */
class Reused {
  private params: unknown[] = [];
  constructor(private readonly statement: Database.Statement) {}

  bind(...params: unknown[]): this {
    this.params = params;
    return this;
  }

  get reader(): boolean {
    return this.statement.reader;
  }

  columns(): Database.ColumnDefinition[] {
    return this.statement.columns();
  }

  raw(toggle = true): this {
    this.statement.raw(toggle);
    return this;
  }

  run(): Database.RunResult {
    return this.statement.run(...this.params);
  }

  all(): unknown[] {
    return this.statement.all(...this.params);
  }

  get(): unknown {
    return this.statement.get(...this.params);
  }
}

/**
 * The adapter's BEGIN, made BEGIN IMMEDIATE. Should it fail — above all when the write lock is still held by
 * another connection after the busy timeout — the adapter's startTransaction would throw here while holding its
 * transaction mutex, which it releases only through the transaction it never returns: every later transaction
 * on the connection would wait for it forever (a worker's passes failing with P2028 until restart). So the
 * failure is kept instead, no transaction is begun, and lib/db/internals/sqlite-adapter-connection.ts ends the
 * transaction it is handed at once (releasing the mutex) and throws the failure then. Only the adapter's
 * startTransaction prepares "BEGIN" (the project's own code uses db.$transaction), so a kept failure is always
 * taken by that wrapper right after.
 */
class Begin {
  constructor(
    private readonly db: Database.Database,
    private readonly statement: Database.Statement,
  ) {}

  bind(): this {
    return this;
  }

  run(): Database.RunResult {
    try {
      return this.statement.run();
    } catch (error) {
      refusedBegins.set(this.db, error);
      return { changes: 0, lastInsertRowid: 0 };
    }
  }
}

const refusedBegins = new WeakMap<Database.Database, unknown>();

/** Why the last BEGIN on `db` failed, if it did (and forgets it): no transaction was begun. */
export function takeRefusedBegin(db: Database.Database): { error: unknown; busy: boolean } | undefined {
  if (!refusedBegins.has(db)) return undefined;
  const error = refusedBegins.get(db);
  refusedBegins.delete(db);
  const code = (error as { code?: unknown } | null)?.code;
  return { error, busy: typeof code === "string" && code.startsWith("SQLITE_BUSY") };
}

/** Makes `db.prepare` reuse statements (and BEGIN immediate); returns how many distinct statements are kept, for tests. */
export function reuseStatements(db: Database.Database): () => number {
  const prepare = db.prepare.bind(db);
  const kept = new Map<string, Database.Statement>();
  const begin = new Begin(db, prepare("BEGIN IMMEDIATE"));
  db.prepare = ((sql: string) => {
    if (sql === "BEGIN") return begin;
    let statement = kept.get(sql);
    if (statement) {
      // Most recently used last, so the first key is the one to let go.
      kept.delete(sql);
    } else {
      statement = prepare(sql);
      if (kept.size >= MAX_STATEMENTS) kept.delete(kept.keys().next().value!);
    }
    kept.set(sql, statement);
    return new Reused(statement);
  }) as unknown as typeof db.prepare;
  return () => kept.size;
}
