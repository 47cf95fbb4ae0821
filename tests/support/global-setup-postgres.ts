// For the integration suite against PostgreSQL: one migrated template database per run; each test file gets
// its own database copied from it (CREATE DATABASE … TEMPLATE, a file copy inside PostgreSQL).
import { randomBytes } from "node:crypto";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { applyMigrations } from "../../lib/db/migrations";
import { migrationPaths } from "../../lib/db/provider";
import { postgresAdmin, testPostgresUrl } from "./test-services";

export default async function setup(project: TestProject) {
  const run = `sv_test_${randomBytes(4).toString("hex")}`;
  const template = `${run}_template`;
  await postgresAdmin(`CREATE DATABASE "${template}"`);
  const url = new URL(testPostgresUrl);
  url.pathname = `/${template}`;
  await applyMigrations({ ...migrationPaths("postgresql"), databaseUrl: url.toString() });
  project.provide("postgresTemplate", template);
  project.provide("postgresRun", run);
  return async () => {
    const client = new pg.Client(testPostgresUrl);
    await client.connect();
    try {
      const { rows } = await client.query<{ datname: string }>(
        "SELECT datname FROM pg_database WHERE datname LIKE $1",
        [`${run}%`],
      );
      for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    } finally {
      await client.end();
    }
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    postgresTemplate: string;
    postgresRun: string;
  }
}
