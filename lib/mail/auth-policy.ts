import "server-only";
import { env } from "@/lib/env";
import { hostListIncludes } from "@/lib/mail/host-guard";

// A user's own server must sign them in (AUTH): without it, a custom sender pointed at any public MX on port 25
// would make SecureVault an open spam source. An administrator lists the relays that take mail without AUTH.

/** Must a custom sender on this host sign in with AUTH before sending? */
export function requiresSmtpAuth(host: string): boolean {
  return !hostListIncludes(env.SMTP_NO_AUTH_HOSTS, host);
}
