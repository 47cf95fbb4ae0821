import path from "node:path";
import { describe, expect, it } from "vitest";
import { diffSchemaAgainstMigrations } from "@/lib/db/migrations";

describe("database migrations", () => {
  it("match prisma/schema.prisma exactly (run `npm run db:migration -- <name>` when this fails)", async () => {
    const sql = await diffSchemaAgainstMigrations({
      schemaPath: path.resolve("prisma/schema.prisma"),
      migrationsDir: path.resolve("prisma/migrations"),
    });
    expect(sql).toBe("");
  });

  it("detects a schema change that has no migration", async () => {
    const fs = await import("node:fs");
    const os = await import("node:os");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "schema-drift-"));
    const schema = fs
      .readFileSync("prisma/schema.prisma", "utf8")
      .replace("model User {", "model User {\n  nickname String?");
    fs.writeFileSync(path.join(dir, "schema.prisma"), schema);
    const sql = await diffSchemaAgainstMigrations({
      schemaPath: path.join(dir, "schema.prisma"),
      migrationsDir: path.resolve("prisma/migrations"),
    });
    expect(sql).toMatch(/nickname/);
  });
});
