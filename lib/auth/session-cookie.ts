import "server-only";
import { encode } from "next-auth/jwt";
import { sessionCookieName, useSecureCookies } from "@/lib/auth/cookies";
import { createSession, SESSION_MAX_AGE_S } from "@/lib/auth/session-store";
import { getInstanceSecrets } from "@/lib/crypto/instance-secrets";

// The same attributes next-auth gives its session cookie: httpOnly, SameSite=Lax, Secure over https.
const attributes = `Path=/; HttpOnly; SameSite=Lax${useSecureCookies ? "; Secure" : ""}`;

/** A fresh session for this device after the password changed (every older session has just ended). */
export async function issueSessionCookie(user: {
  id: string;
  email: string;
  name: string | null;
  sessionVersion: number;
}): Promise<string> {
  const sid = await createSession(user.id);
  const token = await encode({
    token: { sub: user.id, email: user.email, name: user.name, sv: user.sessionVersion, sid },
    secret: getInstanceSecrets().authSecret,
    maxAge: SESSION_MAX_AGE_S,
  });
  return `${sessionCookieName}=${token}; ${attributes}; Max-Age=${SESSION_MAX_AGE_S}`;
}

/** Removes this device's session cookie (after sign out everywhere or account deletion). */
export function clearSessionCookie(): string {
  return `${sessionCookieName}=; ${attributes}; Max-Age=0`;
}
