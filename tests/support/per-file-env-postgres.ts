// Runs before each test file's imports in the PostgreSQL project: a private database copied from the migrated
// template, and the same settings as the SQLite project otherwise.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { inject } from "vitest";
import { testPostgresUrl } from "./test-services";
import { applyTestSettings } from "./test-settings";

const database = `${inject("postgresRun")}_${randomBytes(5).toString("hex")}`;
const client = new pg.Client(testPostgresUrl);
await client.connect();
try {
  await client.query(`CREATE DATABASE "${database}" TEMPLATE "${inject("postgresTemplate")}"`);
} finally {
  await client.end();
}
const url = new URL(testPostgresUrl);
url.pathname = `/${database}`;
applyTestSettings({
  dataDir: fs.mkdtempSync(path.join(os.tmpdir(), "securevault-file-")),
  databaseUrl: url.toString(),
});
