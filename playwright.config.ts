import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { defineConfig, devices } from "@playwright/test";

// End-to-end tests drive Debian's Chromium against the production build, served by `npm start` on a fresh
// data directory (its own SQLite database and sandbox mailbox).
const port = Number(process.env.E2E_PORT ?? 3100);
export const fakeOpenAiPort = Number(process.env.E2E_OPENAI_PORT ?? 3191);
/** The OAuth tests' authorization server (oidc-provider) and Gmail API stand-in (tests/support/oauth-provider-server.ts). */
export const oauthPort = Number(process.env.E2E_OAUTH_PORT ?? 3192);
export const gmailPort = Number(process.env.E2E_GMAIL_PORT ?? 3193);
const baseURL = `http://127.0.0.1:${port}`;
const dataDir = process.env.E2E_DATA_DIR || fs.mkdtempSync(path.join(os.tmpdir(), "securevault-e2e-"));
process.env.E2E_DATA_DIR = dataDir; // workers re-read this config: keep one directory per run

export const chromiumLaunch = {
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
  ],
};

export default defineConfig({
  testDir: "tests/e2e",
  fullyParallel: false,
  workers: 1,
  forbidOnly: true,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [["list"]],
  use: {
    baseURL,
    launchOptions: chromiumLaunch,
    trace: "off",
    screenshot: "only-on-failure",
  },
  projects: [
    {
      name: "desktop",
      use: { ...devices["Desktop Chrome"], launchOptions: chromiumLaunch },
      testIgnore: /mobile/,
    },
    { name: "mobile", use: { ...devices["Pixel 7"], launchOptions: chromiumLaunch }, testMatch: /mobile/ },
  ],
  webServer: [
    {
      // A local OpenAI-compatible server (never the real API): the AI features run against it.
      command: `node_modules/.bin/tsx tests/support/fake-openai-server.ts ${fakeOpenAiPort}`,
      url: `http://127.0.0.1:${fakeOpenAiPort}/__requests`,
      reuseExistingServer: false,
      stdout: "ignore",
    },
    {
      command: `node_modules/.bin/tsx tests/support/oauth-provider-server.ts ${oauthPort} ${gmailPort} ${baseURL}`,
      url: `http://127.0.0.1:${oauthPort}/common/v2.0/.well-known/openid-configuration`,
      reuseExistingServer: false,
      stdout: "ignore",
    },
    {
      command: "node_modules/.bin/tsx lib/server/start.ts",
      url: `${baseURL}/api/health`,
      timeout: 240_000,
      reuseExistingServer: false,
      stdout: "ignore",
      stderr: "pipe",
      env: {
        PORT: String(port),
        DATA_DIR: dataDir,
        // tests/e2e/run-on-postgres.ts runs the same suite against a fresh PostgreSQL database.
        ...(process.env.E2E_DATABASE_URL ? { DATABASE_URL: process.env.E2E_DATABASE_URL } : {}),
        SANDBOX_SMTP_PORT: "0",
        DELIVERY_POLL_MS: "250",
        // Every test signs up from 127.0.0.1; the sign-up limit itself is covered by the integration suite.
        SIGNUP_RATE_LIMIT: "1000",
        // Every test signs up its own account; invite-only sign-up has integration tests (an invitation link
        // works in every mode: tests/e2e/account-mail.spec.ts).
        SIGNUP_MODE: "open",
        // One user sends many messages in a few seconds across the suite; abuse limits have integration tests.
        SEND_RATE_LIMIT_PER_MIN: "10000",
        SEND_SENDER_RATE_LIMIT_PER_MIN: "10000",
        TEST_CONNECTION_RATE_LIMIT: "1000",
        // tests/e2e/automation.spec.ts's webhook receiver listens on loopback over plain http.
        WEBHOOK_ALLOW_LOOPBACK: "true",
        NEXT_TELEMETRY_DISABLED: "1",
        LOG_LEVEL: "warn",
        OPENAI_API_KEY: "sk-e2e-test",
        OPENAI_BASE_URL: `http://127.0.0.1:${fakeOpenAiPort}/v1`,
        OPENAI_MODEL: "e2e-model",
        // The tests' own SMTP servers listen on loopback.
        SMTP_ALLOWED_HOSTS: "127.0.0.1",
        // Sent messages leave at once; the undo test chooses a window in Settings first.
        UNDO_SEND_SECONDS: "0",
        // The push tests' own push service listens on loopback over plain http.
        PUSH_ALLOW_LOOPBACK: "true",
        // "Connect Google" against the local authorization server; its redirect URI is registered for this address.
        APP_URL: baseURL,
        GOOGLE_CLIENT_ID: "securevault-google",
        GOOGLE_CLIENT_SECRET: "google-client-secret-0123456789",
        GOOGLE_ISSUER_URL: `http://127.0.0.1:${oauthPort}/common/v2.0`,
        GOOGLE_GMAIL_API_URL: `http://127.0.0.1:${gmailPort}`,
      },
    },
  ],
});
