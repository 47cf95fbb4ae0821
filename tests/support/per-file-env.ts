// Runs before each test file's imports: a private data directory and database, so files never share state.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { inject } from "vitest";
import { applyTestSettings } from "./test-settings";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "securevault-file-"));
fs.copyFileSync(inject("templateDb"), path.join(dir, "test.db"));
applyTestSettings({ dataDir: dir, databaseUrl: `file:${path.join(dir, "test.db")}` });
