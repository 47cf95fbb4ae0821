// npm test's last step: the end-to-end suite again, with the app on a fresh PostgreSQL database (the first run is
// on SQLite). Arguments go to `playwright test`. Without a reachable PostgreSQL it says so and stops there.
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { answers, postgresAdmin, testPostgresUrl } from "../support/test-services";

async function main(): Promise<number> {
  if (!(await answers(testPostgresUrl, 5432))) {
    console.log(`End-to-end run on PostgreSQL skipped: nothing answers at ${new URL(testPostgresUrl).host}.`);
    return 0;
  }
  const database = `sv_e2e_${randomBytes(4).toString("hex")}`;
  await postgresAdmin(`CREATE DATABASE "${database}"`);
  try {
    const url = new URL(testPostgresUrl);
    url.pathname = `/${database}`;
    console.log(`End-to-end suite on PostgreSQL (database ${database}):`);
    const result = spawnSync("npx", ["playwright", "test", ...process.argv.slice(2)], {
      stdio: "inherit",
      env: {
        ...process.env,
        E2E_DATABASE_URL: url.toString(),
        E2E_DATA_DIR: "", // a fresh data directory, not the SQLite run's
        E2E_PORT: process.env.E2E_PG_PORT ?? "3110",
        E2E_OPENAI_PORT: process.env.E2E_PG_OPENAI_PORT ?? "3196",
        E2E_OAUTH_PORT: process.env.E2E_PG_OAUTH_PORT ?? "3197",
        E2E_GMAIL_PORT: process.env.E2E_PG_GMAIL_PORT ?? "3198",
      },
    });
    return result.status ?? 1;
  } finally {
    await postgresAdmin(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  }
}

main().then((code) => process.exit(code));
