// Session cookies under an https APP_URL (production): Secure with the __Secure- prefix, httpOnly, SameSite=Lax.
import { describe, expect, it, vi } from "vitest";

vi.hoisted(() => {
  process.env.APP_URL = "https://mail.example.com";
});

import { sessionCookieName, useSecureCookies } from "@/lib/auth/cookies";
import { getAuthOptions } from "@/lib/auth/options";
import { clearSessionCookie, issueSessionCookie } from "@/lib/auth/session-cookie";
import { signUpUser } from "@/tests/support/api";

describe("session cookie flags over https", () => {
  it("next-auth is told to use Secure, prefixed cookies", () => {
    expect(useSecureCookies).toBe(true);
    expect(sessionCookieName).toBe("__Secure-next-auth.session-token");
    expect(getAuthOptions().useSecureCookies).toBe(true);
  });

  it("cookies SecureVault issues itself carry HttpOnly, Secure and SameSite=Lax", async () => {
    // The cookie names a server-side session, which belongs to a real user.
    const user = await signUpUser();
    const cookie = await issueSessionCookie({
      id: user.id,
      email: user.email,
      name: null,
      sessionVersion: 1,
    });
    expect(cookie).toMatch(/^__Secure-next-auth\.session-token=/);
    for (const flag of ["HttpOnly", "Secure", "SameSite=Lax", "Path=/"]) expect(cookie).toContain(flag);
    expect(clearSessionCookie()).toMatch(/Max-Age=0/);
  });
});
