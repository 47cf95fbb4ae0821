import "server-only";
import { env } from "@/lib/env";
import { onPostgres } from "@/lib/db/dialect";
import { RateLimiter } from "@/lib/rate-limit/limiter";
import { DatabaseRateStore, RedisRateStore } from "@/lib/rate-limit/shared-stores";
import { MemoryRateStore, type RateStore } from "@/lib/rate-limit/stores";
import { clientAddressFrom } from "@/lib/security/client-address";
import { processSingleton } from "@/lib/server/singleton";

type Limits = {
  signIn: RateLimiter;
  signInPerAccount: RateLimiter;
  signInPerAddress: RateLimiter;
  signUp: RateLimiter;
  passwordReset: RateLimiter;
  passwordResetPerAddress: RateLimiter;
  password: RateLimiter;
  twoFactor: RateLimiter;
  sendPerUser: RateLimiter;
  sendPerSender: RateLimiter;
  testConnection: RateLimiter;
  export: RateLimiter;
  ai: RateLimiter;
  apiKey: RateLimiter;
};

/**
 * Where the counts live: Redis when REDIS_URL is set; the database when it is PostgreSQL (several servers);
 * otherwise this process's memory — SQLite means one machine, and the web process alone checks these limits.
 */
function createStore(): RateStore {
  if (env.REDIS_URL) return new RedisRateStore(env.REDIS_URL);
  if (onPostgres) {
    // Asked at each pruning, so a limit added below is covered without a list to keep in step.
    return new DatabaseRateStore({
      longestWindowMs: () => Math.max(...Object.values(limits).map((limiter) => limiter.windowMs)),
    });
  }
  return new MemoryRateStore();
}
// One set of limiters (and one store connection) per process, made on first use.
export const limits: Limits = processSingleton("limits", (): Limits => {
  const store = createStore();
  return {
    // Per account from one address; more generously (offices share an address) per address, and per account
    // from all addresses together (lib/auth/sign-in-limits.ts).
    signIn: new RateLimiter("signin", env.SIGNIN_RATE_LIMIT, env.SIGNIN_RATE_WINDOW_S * 1000, store),
    signInPerAccount: new RateLimiter(
      "signin-account",
      env.SIGNIN_RATE_LIMIT * 10,
      env.SIGNIN_RATE_WINDOW_S * 1000,
      store,
    ),
    signInPerAddress: new RateLimiter(
      "signin-address",
      env.SIGNIN_RATE_LIMIT * 5,
      env.SIGNIN_RATE_WINDOW_S * 1000,
      store,
    ),
    signUp: new RateLimiter("signup", env.SIGNUP_RATE_LIMIT, env.SIGNUP_RATE_WINDOW_S * 1000, store),
    // Each "forgot password" request sends an email: per email address, and (more generously) per client
    // address, so neither an inbox nor the system mailer can be flooded.
    passwordReset: new RateLimiter(
      "password-reset",
      env.PASSWORD_RESET_RATE_LIMIT,
      env.PASSWORD_RESET_RATE_WINDOW_S * 1000,
      store,
    ),
    passwordResetPerAddress: new RateLimiter(
      "password-reset-address",
      env.PASSWORD_RESET_RATE_LIMIT * 5,
      env.PASSWORD_RESET_RATE_WINDOW_S * 1000,
      store,
    ),
    // Every check of the current password (change it, delete the account) is a guess a session thief could make.
    password: new RateLimiter("password", env.PASSWORD_RATE_LIMIT, env.PASSWORD_RATE_WINDOW_S * 1000, store),
    // A six-digit code is a million guesses: a few per window keeps that out of reach.
    twoFactor: new RateLimiter(
      "two-factor",
      env.TWO_FACTOR_RATE_LIMIT,
      env.TWO_FACTOR_RATE_WINDOW_S * 1000,
      store,
    ),
    // A stolen session or a runaway script must not turn someone's mail account into a spam cannon.
    sendPerUser: new RateLimiter("send-user", env.SEND_RATE_LIMIT_PER_MIN, 60_000, store),
    sendPerSender: new RateLimiter("send-sender", env.SEND_SENDER_RATE_LIMIT_PER_MIN, 60_000, store),
    // Each test is an outbound SMTP handshake: unlimited, it would be a port prober.
    testConnection: new RateLimiter(
      "test-connection",
      env.TEST_CONNECTION_RATE_LIMIT,
      env.TEST_CONNECTION_RATE_WINDOW_S * 1000,
      store,
    ),
    export: new RateLimiter("export", env.EXPORT_RATE_LIMIT, env.EXPORT_RATE_WINDOW_S * 1000, store),
    ai: new RateLimiter("ai", env.AI_RATE_LIMIT_PER_MIN, 60_000, store),
    // Per API key, over every /api/v1 route; the answer's RateLimit headers say where the key stands.
    apiKey: new RateLimiter("api-key", env.API_RATE_LIMIT_PER_MIN, 60_000, store),
  };
});

/** The client's address (lib/security/client-address.ts); "local" for a handler called in-process. */
export function clientAddress(req: Request): string {
  return clientAddressFrom((name) => req.headers.get(name)) ?? "local";
}
