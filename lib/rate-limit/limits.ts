import "server-only";
import { env } from "@/lib/env";
import { RateLimiter } from "@/lib/rate-limit/limiter";

type Limits = {
  signIn: RateLimiter;
  signInPerAddress: RateLimiter;
  signUp: RateLimiter;
  password: RateLimiter;
  sendPerUser: RateLimiter;
  sendPerSender: RateLimiter;
  testConnection: RateLimiter;
  export: RateLimiter;
};
const g = globalThis as unknown as { securevaultLimits?: Limits };

export const limits: Limits = (g.securevaultLimits ??= {
  // Per account, and (more generously, since offices share an address) per client address.
  signIn: new RateLimiter(env.SIGNIN_RATE_LIMIT, env.SIGNIN_RATE_WINDOW_S * 1000),
  signInPerAddress: new RateLimiter(env.SIGNIN_RATE_LIMIT * 5, env.SIGNIN_RATE_WINDOW_S * 1000),
  signUp: new RateLimiter(env.SIGNUP_RATE_LIMIT, env.SIGNUP_RATE_WINDOW_S * 1000),
  // Every check of the current password (change it, delete the account) is a guess a session thief could make.
  password: new RateLimiter(env.PASSWORD_RATE_LIMIT, env.PASSWORD_RATE_WINDOW_S * 1000),
  // A stolen session or a runaway script must not turn someone's mail account into a spam cannon.
  sendPerUser: new RateLimiter(env.SEND_RATE_LIMIT_PER_MIN, 60_000),
  sendPerSender: new RateLimiter(env.SEND_SENDER_RATE_LIMIT_PER_MIN, 60_000),
  // Each test is an outbound SMTP handshake: unlimited, it would be a port prober.
  testConnection: new RateLimiter(env.TEST_CONNECTION_RATE_LIMIT, env.TEST_CONNECTION_RATE_WINDOW_S * 1000),
  export: new RateLimiter(env.EXPORT_RATE_LIMIT, env.EXPORT_RATE_WINDOW_S * 1000),
});

/** The client address as seen by this server (first X-Forwarded-For hop when behind a proxy). */
export function clientAddress(req: Request): string {
  const forwarded = req.headers.get("x-forwarded-for")?.split(",")[0]?.trim();
  return forwarded || req.headers.get("x-real-ip") || "local";
}
