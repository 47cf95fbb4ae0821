import path from "node:path";
import { fileURLToPath } from "node:url";
import { answers, testPostgresUrl } from "./tests/support/test-services";
import { defineConfig, type TestProjectInlineConfiguration } from "vitest/config";

const root = path.dirname(fileURLToPath(import.meta.url));

// Inline projects do not inherit the root's `test` options (vitest 4): every project takes these itself.
const timeouts = { testTimeout: 20_000, hookTimeout: 30_000 };

const shared = {
  resolve: {
    alias: {
      "@": root,
      // Next.js enforces "server-only" at build time; under vitest every module is server code.
      "server-only": path.join(root, "tests/support/server-only-stub.ts"),
    },
  },
};

// The integration suite runs twice: on SQLite (the embedded default) and on PostgreSQL. Without a reachable
// PostgreSQL the second run is left out, and says so.
const postgresUp = await answers(testPostgresUrl, 5432);
if (!postgresUp) {
  console.log(
    `PostgreSQL integration run skipped: nothing answers at ${new URL(testPostgresUrl).host} (set TEST_POSTGRES_URL).`,
  );
}

const projects: TestProjectInlineConfiguration[] = [
  {
    ...shared,
    test: {
      ...timeouts,
      name: "sqlite",
      include: ["tests/unit/**/*.test.ts", "tests/integration/**/*.test.ts"],
      globalSetup: ["tests/support/global-setup.ts"],
      setupFiles: ["tests/support/per-file-env.ts"],
    },
  },
];
if (postgresUp) {
  projects.push({
    ...shared,
    test: {
      ...timeouts,
      name: "postgres",
      include: ["tests/integration/**/*.test.ts"],
      globalSetup: ["tests/support/global-setup-postgres.ts"],
      setupFiles: ["tests/support/per-file-env-postgres.ts"],
    },
  });
}

export default defineConfig({
  ...shared,
  test: {
    pool: "forks",
    projects,
  },
});
