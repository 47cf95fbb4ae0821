import "server-only";
import { env } from "@/lib/env";

// A user's own server must sign them in (AUTH): without it, a custom sender pointed at any public MX on port 25
// would make SecureVault an open spam source. An administrator lists the relays that take mail without AUTH.

function noAuthHosts(): Set<string> {
  return new Set(
    (env.SMTP_NO_AUTH_HOSTS ?? "")
      .split(",")
      .map((h) => h.trim().toLowerCase())
      .filter(Boolean),
  );
}

/** Must a custom sender on this host sign in with AUTH before sending? */
export function requiresSmtpAuth(host: string): boolean {
  return !noAuthHosts().has(host.replace(/^\[|\]$/g, "").toLowerCase());
}
