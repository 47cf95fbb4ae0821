// Runs before each test file's imports: a private data directory and database, so files never share state.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { inject } from "vitest";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "securevault-file-"));
fs.copyFileSync(inject("templateDb"), path.join(dir, "test.db"));
Object.assign(process.env, {
  NODE_ENV: "test",
  DATA_DIR: dir,
  DATABASE_URL: `file:${path.join(dir, "test.db")}`,
  SANDBOX_SMTP_PORT: "0",
  SMTP_TIMEOUT_MS: "2000",
  LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent",
  // The tests' own SMTP servers listen on loopback: an admin allowlist lets senders reach them.
  SMTP_ALLOWED_HOSTS: "127.0.0.1",
  // Messages leave at once unless a test sets an undo window for its user.
  UNDO_SEND_SECONDS: "0",
  // Suites send many messages from one user; the limits themselves are tested with low values in their own file.
  SEND_RATE_LIMIT_PER_MIN: "100000",
  SEND_SENDER_RATE_LIMIT_PER_MIN: "100000",
  SEND_DAILY_QUOTA: "100000",
  TEST_CONNECTION_RATE_LIMIT: "1000",
});
