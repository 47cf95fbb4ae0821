import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import * as pgCatalogTypes from "@/lib/db/internals/pg-catalog-types";
import * as schemaEngineWasm from "@/lib/db/internals/schema-engine-wasm";
import * as sqliteAdapterConnection from "@/lib/db/internals/sqlite-adapter-connection";
import * as sqlitePrepare from "@/lib/db/internals/sqlite-prepare";

// Each patch of a library's internals (lib/db/internals/) names the version it was checked against, and is
// checked here against the installed package: when one of these fails after an upgrade, read the package's new
// code and lib/db/internals/README.md before changing the expectation.

const installedVersion = (name: string): string =>
  JSON.parse(fs.readFileSync(path.join(process.cwd(), "node_modules", name, "package.json"), "utf8")).version;

describe("every patch names the installed version it was checked against", () => {
  it.each([
    ["sqlite-adapter-connection.ts", sqliteAdapterConnection.CHECKED_AGAINST],
    ["sqlite-prepare.ts", sqlitePrepare.CHECKED_AGAINST],
    ["pg-catalog-types.ts", pgCatalogTypes.CHECKED_AGAINST],
    ["schema-engine-wasm.ts", schemaEngineWasm.CHECKED_AGAINST],
  ])("%s", (file, checked) => {
    expect(
      installedVersion(checked.package),
      `re-check lib/db/internals/${file} against the new version`,
    ).toBe(checked.version);
  });
});

function scratchFile() {
  return path.join(fs.mkdtempSync(path.join(os.tmpdir(), "securevault-internals-")), "t.db");
}

describe("the SQLite adapter's connection keeps its database as `client`", () => {
  it("hands each opened connection's better-sqlite3 database over", async () => {
    const factory = new PrismaBetterSqlite3({ url: ":memory:" });
    const opened: Database.Database[] = [];
    sqliteAdapterConnection.onSqliteConnection(factory, (database) => opened.push(database));
    const connection = await factory.connect();
    expect(opened).toHaveLength(1);
    expect(opened[0]!.prepare("SELECT 41 + 1 AS n").get()).toEqual({ n: 42n });
    await connection.dispose();
  });

  it("fails loudly when the database is not there", () => {
    expect(() => sqliteAdapterConnection.sqliteDatabaseOf({})).toThrow(/no longer keeps its database/);
  });
});

describe('the SQLite adapter prepares through `client.prepare` and begins with prepare("BEGIN")', () => {
  async function patchedConnection(file: string) {
    const factory = new PrismaBetterSqlite3({ url: `file:${file}` });
    let kept = () => 0;
    sqliteAdapterConnection.onSqliteConnection(factory, (database) => {
      kept = sqlitePrepare.reuseStatements(database);
    });
    return { connection: await factory.connect(), kept: () => kept() };
  }

  it("reuses one statement for the adapter's repeated queries, with each call's parameters", async () => {
    const { connection, kept } = await patchedConnection(scratchFile());
    await connection.executeScript("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)");
    const insert = { sql: "INSERT INTO t (id, name) VALUES (?, ?)", argTypes: [], args: [] };
    for (const [id, name] of [
      [1, "one"],
      [2, "two"],
    ] as const) {
      await connection.executeRaw({
        ...insert,
        args: [id, name],
        argTypes: [
          { scalarType: "int", arity: "scalar" },
          { scalarType: "string", arity: "scalar" },
        ],
      });
    }
    const select = (id: number) =>
      connection.queryRaw({
        sql: "SELECT name FROM t WHERE id = ?",
        args: [id],
        argTypes: [{ scalarType: "int", arity: "scalar" }],
      });
    expect((await select(1)).rows).toEqual([["one"]]);
    expect((await select(2)).rows).toEqual([["two"]]);
    // The insert and the select, each prepared once: the adapter still prepares through `client.prepare`.
    expect(kept()).toBe(2);
    await connection.dispose();
  });

  it("takes the write lock when a transaction begins, so another writer waits", async () => {
    const file = scratchFile();
    const { connection } = await patchedConnection(file);
    await connection.executeScript("CREATE TABLE t (id INTEGER PRIMARY KEY)");
    const other = new Database(file, { timeout: 0 });
    const transaction = await connection.startTransaction();
    // A plain (deferred) BEGIN would hold no lock until its first write, and this would succeed.
    expect(() => other.exec("BEGIN IMMEDIATE")).toThrow(/locked/);
    await transaction.rollback();
    other.close();
    await connection.dispose();
  });

  it("ends a transaction whose BEGIN stayed busy, so the next one can start", async () => {
    const file = scratchFile();
    const factory = new PrismaBetterSqlite3({ url: `file:${file}`, timeout: 20 });
    sqliteAdapterConnection.onSqliteConnection(factory, (database) =>
      sqlitePrepare.reuseStatements(database),
    );
    const connection = await factory.connect();
    await connection.executeScript("CREATE TABLE t (id INTEGER PRIMARY KEY)");
    const other = new Database(file);
    other.exec("BEGIN IMMEDIATE");
    // The adapter's own startTransaction kept its mutex when BEGIN threw: the next start waited forever.
    await expect(connection.startTransaction()).rejects.toMatchObject({
      name: "DriverAdapterError",
      cause: { kind: "SocketTimeout" },
    });
    other.exec("COMMIT");
    const next = await Promise.race([
      connection.startTransaction(),
      new Promise<"still waiting">((resolve) => setTimeout(() => resolve("still waiting"), 5_000)),
    ]);
    expect(next, "the transaction after a refused BEGIN never started").not.toBe("still waiting");
    if (next === "still waiting") return;
    await next.executeRaw({ sql: "INSERT INTO t (id) VALUES (1)", args: [], argTypes: [] });
    await next.executeRaw({ sql: "COMMIT", args: [], argTypes: [] });
    await next.commit();
    expect(other.prepare("SELECT count(*) AS n FROM t").get()).toEqual({ n: 1 });
    other.close();
    await connection.dispose();
  });

  it("ends a transaction whose BEGIN failed otherwise too, throwing that failure", async () => {
    const factory = new PrismaBetterSqlite3({ url: `file:${scratchFile()}` });
    let database: Database.Database | undefined;
    sqliteAdapterConnection.onSqliteConnection(factory, (opened) => {
      database = opened;
      sqlitePrepare.reuseStatements(opened);
    });
    const connection = await factory.connect();
    database!.exec("BEGIN");
    await expect(connection.startTransaction()).rejects.toThrow(/within a transaction/);
    database!.exec("ROLLBACK");
    const next = await Promise.race([
      connection.startTransaction(),
      new Promise<"still waiting">((resolve) => setTimeout(() => resolve("still waiting"), 5_000)),
    ]);
    expect(next, "the transaction after a failed BEGIN never started").not.toBe("still waiting");
    if (next !== "still waiting") await next.rollback();
    await connection.dispose();
  });

  // Used as Prisma's SQLite adapter uses a statement: prepare(sql).bind(params), then run() or raw().all().
  it("keep a bounded number, letting the least recently used go", () => {
    const db = new Database(":memory:");
    const kept = sqlitePrepare.reuseStatements(db);
    for (let i = 0; i < 600; i++) expect(db.prepare(`SELECT ${i} AS n`).bind([]).raw().all()).toEqual([[i]]);
    expect(kept()).toBe(512);
    expect(db.prepare("SELECT 599 AS n").bind([]).raw().all()).toEqual([[599]]);
    db.close();
  });

  it("leave a failing statement's error to the caller and stay usable", () => {
    const db = new Database(":memory:");
    sqlitePrepare.reuseStatements(db);
    db.exec("CREATE TABLE u (id INTEGER PRIMARY KEY)");
    const insert = "INSERT INTO u (id) VALUES (?)";
    db.prepare(insert).bind([1]).run();
    expect(() => db.prepare(insert).bind([1]).run()).toThrow(/UNIQUE/);
    expect(db.prepare(insert).bind([2]).run().changes).toBe(1);
    db.close();
  });
});

describe("the schema engine's wasm-bindgen glue", () => {
  it("loads and instantiates, offering the SchemaEngine class", async () => {
    const engine = await schemaEngineWasm.loadSchemaEngine();
    expect(typeof engine.SchemaEngine).toBe("function");
    expect(typeof engine.SchemaEngine.new).toBe("function");
  });
});
