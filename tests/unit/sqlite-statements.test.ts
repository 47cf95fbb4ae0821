import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { reuseStatements } from "@/lib/db/sqlite-statements";

// Used as Prisma's SQLite adapter uses a statement: prepare(sql).bind(params), then run() or raw().all().
describe("reused SQLite statements", () => {
  it("run one prepared statement with each call's own parameters", () => {
    const db = new Database(":memory:");
    const kept = reuseStatements(db);
    db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)");
    const insert = "INSERT INTO t (id, name) VALUES (?, ?)";
    expect(db.prepare(insert).bind([1, "one"]).run().changes).toBe(1);
    expect(db.prepare(insert).bind([2, "two"]).run().changes).toBe(1);
    const select = "SELECT id, name FROM t WHERE id >= ? ORDER BY id";
    const first = db.prepare(select).bind([1]);
    expect(first.reader).toBe(true);
    expect(first.columns().map((c) => c.name)).toEqual(["id", "name"]);
    expect(first.raw().all()).toEqual([
      [1, "one"],
      [2, "two"],
    ]);
    expect(db.prepare(select).bind([2]).raw().all()).toEqual([[2, "two"]]);
    expect(kept()).toBe(2);
    db.close();
  });

  it("keep a bounded number, letting the least recently used go", () => {
    const db = new Database(":memory:");
    const kept = reuseStatements(db);
    for (let i = 0; i < 600; i++) expect(db.prepare(`SELECT ${i} AS n`).bind([]).raw().all()).toEqual([[i]]);
    expect(kept()).toBe(512);
    expect(db.prepare("SELECT 599 AS n").bind([]).raw().all()).toEqual([[599]]);
    db.close();
  });

  it("leave a failing statement's error to the caller and stay usable", () => {
    const db = new Database(":memory:");
    reuseStatements(db);
    db.exec("CREATE TABLE u (id INTEGER PRIMARY KEY)");
    const insert = "INSERT INTO u (id) VALUES (?)";
    db.prepare(insert).bind([1]).run();
    expect(() => db.prepare(insert).bind([1]).run()).toThrow(/UNIQUE/);
    expect(db.prepare(insert).bind([2]).run().changes).toBe(1);
    db.close();
  });
});
