// Builds one migrated SQLite database per test run; each test file starts from a copy of it.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { applyMigrations } from "../../lib/db/migrations";

export default async function setup(project: TestProject) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "securevault-test-"));
  const template = path.join(dir, "template.db");
  await applyMigrations({
    schemaPath: path.resolve("prisma/schema.prisma"),
    migrationsDir: path.resolve("prisma/migrations"),
    databaseUrl: `file:${template}`,
  });
  project.provide("templateDb", template);
  return () => fs.rmSync(dir, { recursive: true, force: true });
}

declare module "vitest" {
  export interface ProvidedContext {
    templateDb: string;
  }
}
