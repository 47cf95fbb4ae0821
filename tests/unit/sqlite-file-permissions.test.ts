// The embedded database holds password hashes and encrypted SMTP secrets (issue 21, item 12): created readable
// by its owner only, in a directory only its owner can enter, and SQLite's -wal/-shm files follow the file.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { applyMigrations } from "@/lib/db/migrations";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "securevault-perm-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const modeOf = (p: string) => fs.statSync(p).mode & 0o777;

describe("a new SQLite database", () => {
  it("is created 0600 in a new 0700 directory, with its write-ahead log files alike", async () => {
    const dir = path.join(root, "data", "nested");
    const file = path.join(dir, "securevault.db");
    await applyMigrations({
      schemaPath: path.resolve("prisma/schema.prisma"),
      migrationsDir: path.resolve("prisma/migrations"),
      databaseUrl: `file:${file}`,
    });
    expect(modeOf(file)).toBe(0o600);
    expect(modeOf(dir)).toBe(0o700);
    expect(modeOf(path.join(root, "data"))).toBe(0o700);
    const Database = (await import("better-sqlite3")).default;
    const sqlite = new Database(file);
    sqlite.exec("CREATE TABLE t (x); INSERT INTO t VALUES (1)");
    for (const sidecar of [`${file}-wal`, `${file}-shm`]) expect(modeOf(sidecar)).toBe(0o600);
    sqlite.close();
  });

  it("leaves an existing directory's permissions as the admin set them", async () => {
    const dir = path.join(root, "shared");
    fs.mkdirSync(dir, { mode: 0o750 });
    fs.chmodSync(dir, 0o750);
    const file = path.join(dir, "securevault.db");
    await applyMigrations({
      schemaPath: path.resolve("prisma/schema.prisma"),
      migrationsDir: path.resolve("prisma/migrations"),
      databaseUrl: `file:${file}`,
    });
    expect(modeOf(dir)).toBe(0o750);
    expect(modeOf(file)).toBe(0o600);
  });
});
