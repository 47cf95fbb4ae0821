import "server-only";
import { env } from "@/lib/env";
import { RateLimiter } from "@/lib/rate-limit/limiter";

type Limits = { signIn: RateLimiter; signInPerAddress: RateLimiter; signUp: RateLimiter };
const g = globalThis as unknown as { securevaultLimits?: Limits };

export const limits: Limits = (g.securevaultLimits ??= {
  // Per account, and (more generously, since offices share an address) per client address.
  signIn: new RateLimiter(env.SIGNIN_RATE_LIMIT, env.SIGNIN_RATE_WINDOW_S * 1000),
  signInPerAddress: new RateLimiter(env.SIGNIN_RATE_LIMIT * 5, env.SIGNIN_RATE_WINDOW_S * 1000),
  signUp: new RateLimiter(env.SIGNUP_RATE_LIMIT, env.SIGNUP_RATE_WINDOW_S * 1000),
});

/** The client address as seen by this server (first X-Forwarded-For hop when behind a proxy). */
export function clientAddress(req: Request): string {
  const forwarded = req.headers.get("x-forwarded-for")?.split(",")[0]?.trim();
  return forwarded || req.headers.get("x-real-ip") || "local";
}
