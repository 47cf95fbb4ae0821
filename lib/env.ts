import path from "node:path";
import { z } from "zod";

// The one place that reads process.env. Everything else imports `env`.
const flag = z
  .enum(["true", "false", "1", "0", "on", "off"])
  .transform((v) => v === "true" || v === "1" || v === "on");

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  DATA_DIR: z.string().min(1).default(".data"),
  DATABASE_URL: z.string().optional(),
  /** Largest single attachment (MB, as uploaded); the sender's message size limit applies on top. */
  ATTACHMENT_MAX_MB: z.coerce.number().min(1).max(200).default(25),
  /** Files one message may carry. */
  ATTACHMENT_MAX_FILES: z.coerce.number().int().min(1).max(100).default(20),
  /** Message size limit (MB, encoded) for a custom server that announces no SIZE and has no preset. */
  SENDER_DEFAULT_MAX_MESSAGE_MB: z.coerce.number().min(1).max(200).default(25),
  /** Hours an uploaded file that no message uses is kept (a draft's files) before it is removed. */
  ATTACHMENT_ORPHAN_HOURS: z.coerce
    .number()
    .min(1)
    .max(24 * 90)
    .default(24 * 7),
  /** A PostgreSQL server on which db:migration / db:diff replay the PostgreSQL migrations (scratch databases). */
  POSTGRES_MIGRATION_URL: z.string().default("postgresql://postgres@127.0.0.1:5432/postgres"),
  APP_URL: z.url().optional(),
  AUTH_SECRET: z.string().min(32).optional(),
  ENCRYPTION_KEY: z
    .string()
    .regex(/^[A-Za-z0-9+/]{43}=$/, "must be 32 bytes, base64-encoded")
    .optional(),
  /** A key ring for rotation: comma-separated 32-byte base64 keys, the newest (used to encrypt) first. */
  ENCRYPTION_KEYS: z
    .string()
    .regex(
      /^[A-Za-z0-9+/]{43}=(\s*,\s*[A-Za-z0-9+/]{43}=)*$/,
      "must be comma-separated 32-byte base64 keys, newest first",
    )
    .optional(),
  SANDBOX_SMTP_ENABLED: flag.default(true),
  SANDBOX_SMTP_HOST: z.string().default("127.0.0.1"),
  SANDBOX_SMTP_PORT: z.coerce.number().int().min(0).max(65535).default(2525),
  DELIVERY_WORKER_ENABLED: flag.default(true),
  DELIVERY_POLL_MS: z.coerce.number().int().min(50).max(60_000).default(1000),
  /** Connections per sender pool for custom servers and the sandbox (the presets have their own). */
  DELIVERY_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(5),
  /** Messages one worker process has in flight at once, across all senders. */
  DELIVERY_MAX_IN_FLIGHT: z.coerce.number().int().min(1).max(10_000).default(1000),
  /**
   * Millions of characters of message bodies one worker process holds at once: with large messages the
   * bodies, not the count, are what fill memory. A single message larger than this still goes, alone.
   */
  DELIVERY_MAX_IN_FLIGHT_MB: z.coerce.number().int().min(1).max(4096).default(2),
  // Longer than the worst-case send (connect + greeting + data timeouts): a claim outlives any live attempt.
  DELIVERY_LEASE_MS: z.coerce
    .number()
    .int()
    .min(1000)
    .default(5 * 60_000),
  // Temporary failures are retried with backoff until either limit is reached; then the message fails.
  DELIVERY_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(8),
  DELIVERY_MAX_AGE_HOURS: z.coerce
    .number()
    .min(0.01)
    .max(24 * 30)
    .default(72),
  /** Seconds a sent message waits on the server so Undo can cancel it, for users who have not chosen. */
  UNDO_SEND_SECONDS: z.coerce.number().int().min(0).max(60).default(10),
  /** Comma-separated SMTP hosts exempt from the private-address and port checks (an admin's own relay). */
  SMTP_ALLOWED_HOSTS: z.string().optional(),
  /** Comma-separated SMTP hosts where a custom sender may send without AUTH (an admin's relay); elsewhere AUTH is required. */
  SMTP_NO_AUTH_HOSTS: z.string().optional(),
  /**
   * Proxies in front of the server whose X-Forwarded-For hop is believed (lib/security/client-address.ts).
   * 0: the client is the socket's peer and no header is read.
   */
  TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  /** A session unused for this long ends (sign in again). */
  SESSION_IDLE_MINUTES: z.coerce
    .number()
    .int()
    .min(5)
    .max(60 * 24 * 90)
    .default(60 * 24 * 7),
  /** No session lasts longer than this, however active. */
  SESSION_MAX_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  /** Two-factor code checks (sign-in, disabling it) per account per window. */
  TWO_FACTOR_RATE_LIMIT: z.coerce.number().int().min(1).default(5),
  TWO_FACTOR_RATE_WINDOW_S: z.coerce.number().int().min(1).default(900),
  /**
   * Who may create an account: open (anyone), invite (an admin's invitation link) or closed (nobody). The first
   * account of an instance is always allowed and becomes its admin.
   */
  SIGNUP_MODE: z.enum(["open", "invite", "closed"]).default("invite"),
  /** Hours an invitation link stays valid. */
  INVITE_TTL_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 90)
    .default(168),
  /** Minutes a password reset link stays valid. */
  PASSWORD_RESET_TTL_MINUTES: z.coerce
    .number()
    .int()
    .min(5)
    .max(24 * 60)
    .default(60),
  /** "Forgot password?" requests per client address, and per email address, per window. */
  PASSWORD_RESET_RATE_LIMIT: z.coerce.number().int().min(1).default(5),
  PASSWORD_RESET_RATE_WINDOW_S: z.coerce.number().int().min(1).default(3600),
  /**
   * Where account mail (password reset, invitations) goes out: smtp://user:pass@host:587 or smtps://…:465.
   * Unset: it is captured by the built-in sandbox mailbox instead (development).
   */
  SYSTEM_SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\/[^\s]+$/, "must be an smtp:// or smtps:// URL")
    .optional(),
  /** The From of account mail, e.g. "SecureVault <no-reply@example.com>". */
  SYSTEM_MAIL_FROM: z.string().min(3).max(300).optional(),
  /** The default for the connect, greeting and command-reply timeouts below. */
  SMTP_TIMEOUT_MS: z.coerce.number().int().min(1000).max(300_000).default(20_000),
  SMTP_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(1000).max(300_000).optional(),
  SMTP_GREETING_TIMEOUT_MS: z.coerce.number().int().min(1000).max(600_000).optional(),
  SMTP_COMMAND_TIMEOUT_MS: z.coerce.number().int().min(1000).max(600_000).optional(),
  /** The wait for the server's verdict after a message's data (RFC 5321 §4.5.3.2 allows it 10 minutes). */
  SMTP_FINAL_REPLY_TIMEOUT_MS: z.coerce.number().int().min(1000).max(3_600_000).default(600_000),
  /** Our name in EHLO; default: APP_URL's host when it is a dotted name, else the machine's, else localhost.localdomain. */
  SMTP_EHLO_NAME: z
    .string()
    .regex(
      /^([A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$|^\[[0-9A-Fa-f:.]+\]$/,
      "must be a domain name or an address literal like [192.0.2.1]",
    )
    .optional(),
  /** A PEM bundle of CA certificates trusted for SMTP over TLS, on top of Node's own (an admin's private CA). */
  SMTP_CA_FILE: z.string().min(1).optional(),
  SIGNIN_RATE_LIMIT: z.coerce.number().int().min(1).default(10),
  SIGNIN_RATE_WINDOW_S: z.coerce.number().int().min(1).default(900),
  SIGNUP_RATE_LIMIT: z.coerce.number().int().min(1).default(5),
  SIGNUP_RATE_WINDOW_S: z.coerce.number().int().min(1).default(3600),
  /** Password checks (change password, delete account) per user per window. */
  PASSWORD_RATE_LIMIT: z.coerce.number().int().min(1).default(5),
  PASSWORD_RATE_WINDOW_S: z.coerce.number().int().min(1).default(900),
  /** Messages a user may hand to POST /api/messages per minute, and per sender per minute. */
  SEND_RATE_LIMIT_PER_MIN: z.coerce.number().int().min(1).default(60),
  SEND_SENDER_RATE_LIMIT_PER_MIN: z.coerce.number().int().min(1).default(30),
  /** Messages per user over any 24 hours, counted in the database. */
  SEND_DAILY_QUOTA: z.coerce.number().int().min(1).default(2000),
  /** "Test connection" runs per user per window: each one is an outbound SMTP handshake. */
  TEST_CONNECTION_RATE_LIMIT: z.coerce.number().int().min(1).default(10),
  TEST_CONNECTION_RATE_WINDOW_S: z.coerce.number().int().min(1).default(600),
  /** Data exports per user per window: each one reads everything the user owns. */
  EXPORT_RATE_LIMIT: z.coerce.number().int().min(1).default(3),
  EXPORT_RATE_WINDOW_S: z.coerce.number().int().min(1).default(3600),
  OPENAI_API_KEY: z.string().min(1).optional(),
  OPENAI_BASE_URL: z.url().optional(),
  OPENAI_MODEL: z.string().min(1).default("gpt-5-mini"),
  OPENAI_TRANSCRIBE_MODEL: z.string().min(1).default("gpt-4o-mini-transcribe"),
  /**
   * Whether OPENAI_MODEL reads images (attached pictures go to it when asked to draft or rewrite): "auto" decides
   * by the model's name (gpt-4o*, gpt-4.1*, gpt-5*, o3*, o4*), "on"/"off" say it outright.
   */
  OPENAI_VISION: z.enum(["auto", "on", "off"]).default("auto"),
  AI_RATE_LIMIT_PER_MIN: z.coerce.number().int().min(1).default(20),
  AI_DAILY_TOKEN_BUDGET: z.coerce.number().int().min(1).default(200_000),
  AI_TIMEOUT_MS: z.coerce.number().int().min(1000).max(600_000).default(60_000),
  /** Shared rate-limit counts for several server processes (redis://…); without it, see lib/rate-limit. */
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, "must be a redis:// or rediss:// URL")
    .optional(),
  /** When set, GET /api/metrics requires `Authorization: Bearer <METRICS_TOKEN>`. */
  METRICS_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
  /** The standalone worker's own metrics and health port (npm run worker); 0 turns it off. */
  WORKER_METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(9464),
  /** VAPID key pair (base64url, as web-push prints them); set both or neither. Generated into DATA_DIR when unset. */
  VAPID_PUBLIC_KEY: z
    .string()
    .regex(/^[A-Za-z0-9_-]{87}$/, "must be a P-256 public key, 65 bytes base64url (no padding)")
    .optional(),
  VAPID_PRIVATE_KEY: z
    .string()
    .regex(/^[A-Za-z0-9_-]{43}$/, "must be a P-256 private key, 32 bytes base64url (no padding)")
    .optional(),
  // Push services (Apple's above all) refuse a VAPID subject that is not a mailto: or https: URL.
  VAPID_SUBJECT: z
    .string()
    .regex(/^(mailto:[^\s@/]+@[^\s@/]+|https:\/\/[^\s/]+(\/\S*)?)$/, "must be a mailto: or https: URL")
    .optional(),
  /** Notify "still trying" once, when a message's attempts reach this number of temporary failures. */
  PUSH_RETRY_NOTIFY_AFTER: z.coerce.number().int().min(1).max(100).default(3),
  /** Whole-request deadline for one push service request. */
  PUSH_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  /** Accept http:// push endpoints on loopback (a push service on this machine): for tests, never in production. */
  PUSH_ALLOW_LOOPBACK: flag.default(false),
  /** Requests one API key may make per minute to /api/v1 (RateLimit headers say how many are left). */
  API_RATE_LIMIT_PER_MIN: z.coerce.number().int().min(1).max(100_000).default(120),
  /** Accept http:// webhook URLs on loopback (a receiver on this machine): for tests, never in production. */
  WEBHOOK_ALLOW_LOOPBACK: flag.default(false),
  /** Deadline for one webhook request, from connecting to the end of the answer. */
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  /** How often the webhook sender looks for due deliveries when nothing woke it. */
  WEBHOOK_POLL_MS: z.coerce.number().int().min(20).max(60_000).default(1000),
  /** Webhook requests one process has in flight at once (across endpoints; one at a time per endpoint). */
  WEBHOOK_CONCURRENCY: z.coerce.number().int().min(1).max(1000).default(50),
  /**
   * How long a webhook sender's claim on a batch of deliveries lasts: a sender that dies leaves them to be
   * taken again after it. Keep it well above WEBHOOK_TIMEOUT_MS.
   */
  WEBHOOK_LEASE_MS: z.coerce.number().int().min(1000).max(3_600_000).default(60_000),
  /**
   * "Connect Google" (lib/oauth): the OAuth client of a Google Cloud project (README, "Connect Google and
   * Microsoft"). The button shows only when both are set. The redirect URI to register is
   * <APP_URL>/api/senders/oauth/google/callback.
   */
  GOOGLE_CLIENT_ID: z.string().min(1).optional(),
  GOOGLE_CLIENT_SECRET: z.string().min(1).optional(),
  /** Google's OpenID Connect issuer (its discovery document names every endpoint); tests point it at a local server. */
  GOOGLE_ISSUER_URL: z.url().default("https://accounts.google.com"),
  /**
   * How a connected Google account sends: gmail-api (users.messages.send under the narrow gmail.send scope) or
   * smtp (XOAUTH2 to GOOGLE_SMTP_URL, which needs the full-mail scope https://mail.google.com/).
   */
  GOOGLE_SEND_MODE: z.enum(["gmail-api", "smtp"]).default("gmail-api"),
  GOOGLE_GMAIL_API_URL: z.url().default("https://gmail.googleapis.com"),
  GOOGLE_SMTP_URL: z
    .string()
    .regex(
      /^smtps?:\/\/[^\s/:]+(:\d+)?\/?$/,
      "must be smtp://host:port (STARTTLS) or smtps://host:port (TLS)",
    )
    .default("smtps://smtp.gmail.com:465"),
  /**
   * "Connect Microsoft" (Microsoft 365 and Outlook.com): an app registered in Microsoft Entra ID. The button shows
   * only when both are set. Redirect URI: <APP_URL>/api/senders/oauth/microsoft/callback.
   */
  MICROSOFT_CLIENT_ID: z.string().min(1).optional(),
  MICROSOFT_CLIENT_SECRET: z.string().min(1).optional(),
  /** common (work and personal accounts), organizations, consumers, or your directory's tenant id. */
  MICROSOFT_TENANT: z
    .string()
    .regex(/^[A-Za-z0-9.-]+$/, "must be common, organizations, consumers, a tenant id or a domain")
    .default("common"),
  /** The Microsoft identity platform; the issuer is <this>/<MICROSOFT_TENANT>/v2.0. Tests point it at a local server. */
  MICROSOFT_AUTHORITY_URL: z.url().default("https://login.microsoftonline.com"),
  MICROSOFT_SMTP_URL: z
    .string()
    .regex(
      /^smtps?:\/\/[^\s/:]+(:\d+)?\/?$/,
      "must be smtp://host:port (STARTTLS) or smtps://host:port (TLS)",
    )
    .default("smtp://smtp.office365.com:587"),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
});

export type Env = z.infer<typeof envSchema>;

/** Every variable this module reads (the deployment files are checked against it). */
export const envNames = Object.keys(envSchema.shape) as (keyof Env)[];

function loadEnv(): Env & { dataDir: string; databaseUrl: string } {
  const parsed = envSchema.safeParse(process.env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n");
    throw new Error(`Invalid environment configuration:\n${problems}`);
  }
  const dataDir = path.resolve(parsed.data.DATA_DIR);
  const databaseUrl = parsed.data.DATABASE_URL ?? `file:${path.join(dataDir, "securevault.db")}`;
  return { ...parsed.data, dataDir, databaseUrl };
}

export const env = loadEnv();

/**
 * next-auth reads its public URL from process.env.NEXTAUTH_URL itself; APP_URL is this app's name for the same
 * thing (the port's localhost when unset). Written here so process.env stays in this module.
 */
export function shareAppUrlWithNextAuth(): void {
  process.env.NEXTAUTH_URL ??= env.APP_URL ?? `http://localhost:${env.PORT}`;
}
