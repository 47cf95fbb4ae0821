// The environment every test file runs with, whichever database it runs against.
export function applyTestSettings({ dataDir, databaseUrl }: { dataDir: string; databaseUrl: string }): void {
  Object.assign(process.env, {
    NODE_ENV: "test",
    DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl,
    SANDBOX_SMTP_PORT: "0",
    SMTP_TIMEOUT_MS: "2000",
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent",
    // The tests' own SMTP servers listen on loopback: an admin allowlist lets senders reach them.
    SMTP_ALLOWED_HOSTS: "127.0.0.1",
    // … and take mail without AUTH there (the sinks offer none); tests of the AUTH rule clear it.
    SMTP_NO_AUTH_HOSTS: "127.0.0.1",
    // Suites sign up many accounts; tests/integration/invitations.test.ts covers the invite and closed modes.
    SIGNUP_MODE: "open",
    // Messages leave at once unless a test sets an undo window for its user.
    UNDO_SEND_SECONDS: "0",
    // Suites send many messages from one user; the limits themselves are tested with low values in their own file.
    SEND_RATE_LIMIT_PER_MIN: "100000",
    SEND_SENDER_RATE_LIMIT_PER_MIN: "100000",
    SEND_DAILY_QUOTA: "100000",
    TEST_CONNECTION_RATE_LIMIT: "1000",
  });
}
