// Two-factor sign-in (TOTP + recovery codes): set up from Settings, confirmed before it counts, enforced by
// the credentials sign-in, codes good once, its own rate limit, and re-authentication to turn it off.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

vi.hoisted(() => {
  Object.assign(process.env, { TWO_FACTOR_RATE_LIMIT: "4", PASSWORD_RATE_LIMIT: "50" });
});

import { GET as getStatus, POST as confirm, DELETE as disable } from "@/app/api/account/two-factor/route";
import { POST as setup } from "@/app/api/account/two-factor/setup/route";
import { getAuthOptions } from "@/lib/auth/options";
import { base32Decode, totp } from "@/lib/auth/totp";
import { db } from "@/lib/db/client";
import { callRoute, signUpUser, type TestUser } from "@/tests/support/api";

const PASSWORD = "correct horse battery staple";
const T0 = new Date("2026-03-01T12:00:05Z").getTime();

type Authorize = (
  credentials: Record<string, string>,
  req: { headers: Record<string, string> },
) => Promise<unknown>;
// The function next-auth's credentials callback calls with the posted form fields.
const authorize = (getAuthOptions().providers[0] as unknown as { options: { authorize: Authorize } }).options
  .authorize;

/** Signs in as next-auth would: the user on success, null for a wrong password, or the error it redirects with. */
async function signIn(email: string, password: string, code?: string): Promise<string> {
  try {
    const user = await authorize(
      { email, password, ...(code === undefined ? {} : { code }) },
      { headers: {} },
    );
    return user ? "signed-in" : "CredentialsSignin";
  } catch (error) {
    return (error as Error).message;
  }
}

// Only Date is faked: the database drivers keep their real timers.
beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(T0);
});
afterEach(() => {
  vi.useRealTimers();
});

const at = (ms: number) => vi.setSystemTime(ms);

async function startSetup(user: TestUser): Promise<Buffer> {
  const res = await callRoute(setup, { method: "POST", user, json: { password: PASSWORD } });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { secret: string; uri: string };
  expect(body.uri).toMatch(/^otpauth:\/\/totp\/SecureVault:/);
  expect(body.uri).toContain(`secret=${body.secret}`);
  return base32Decode(body.secret);
}

async function enable(user: TestUser): Promise<{ secret: Buffer; recoveryCodes: string[] }> {
  const secret = await startSetup(user);
  const res = await callRoute(confirm, { method: "POST", user, json: { code: totp(secret, Date.now()) } });
  expect(res.status).toBe(200);
  const { recoveryCodes } = (await res.json()) as { recoveryCodes: string[] };
  return { secret, recoveryCodes };
}

const status = async (user: TestUser) => (await callRoute(getStatus, { user })).json();

describe("turning two-factor on", () => {
  it("needs the password, so a stolen session cannot put its own authenticator on the account", async () => {
    const user = await signUpUser();
    const res = await callRoute(setup, { method: "POST", user, json: { password: "a guess" } });
    expect(res.status).toBe(400);
    expect((await res.json()).error.fields).toHaveProperty("password");
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).totpPendingCipher).toBeNull();
  });

  it("takes effect only once a code from the app is confirmed; a wrong code changes nothing", async () => {
    const user = await signUpUser();
    const secret = await startSetup(user);
    expect(await signIn(user.email, PASSWORD)).toBe("signed-in");
    const wrong = await callRoute(confirm, { method: "POST", user, json: { code: "000000" } });
    expect(wrong.status).toBe(400);
    expect(await status(user)).toEqual({ enabled: false, recoveryCodesLeft: 0 });

    const res = await callRoute(confirm, { method: "POST", user, json: { code: totp(secret, Date.now()) } });
    expect(res.status).toBe(200);
    const { recoveryCodes } = (await res.json()) as { recoveryCodes: string[] };
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    expect(await status(user)).toEqual({ enabled: true, recoveryCodesLeft: 10 });
  });

  it("keeps the secret encrypted at rest and only hashes of the recovery codes", async () => {
    const user = await signUpUser();
    const { secret, recoveryCodes } = await enable(user);
    const stored = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(stored.totpSecretCipher).toMatch(/^v2\./);
    const { base32Encode } = await import("@/lib/auth/totp");
    expect(JSON.stringify(stored)).not.toContain(base32Encode(secret));
    const hashes = await db.recoveryCode.findMany({ where: { userId: user.id } });
    expect(hashes.map((h) => h.codeHash).join()).not.toContain(recoveryCodes[0]!.replace("-", ""));
  });
});

describe("signing in with two-factor on", () => {
  it("asks for the code after the right password, and only then", async () => {
    const user = await signUpUser();
    const { secret } = await enable(user);
    at(T0 + 30_000);
    expect(await signIn(user.email, PASSWORD)).toBe("TwoFactorRequired");
    // A wrong password is the same plain failure with or without a code: nothing about the second factor.
    expect(await signIn(user.email, "wrong password")).toBe("CredentialsSignin");
    expect(await signIn(user.email, "wrong password", totp(secret, Date.now()))).toBe("CredentialsSignin");
    expect(await signIn(user.email, PASSWORD, "123456")).toBe("TwoFactorInvalid");
    expect(await signIn(user.email, PASSWORD, totp(secret, Date.now()))).toBe("signed-in");
  });

  it("accepts a code once: the same code again, even inside its window, is refused", async () => {
    const user = await signUpUser();
    const { secret } = await enable(user);
    at(T0 + 30_000);
    const code = totp(secret, Date.now());
    expect(await signIn(user.email, PASSWORD, code)).toBe("signed-in");
    at(T0 + 40_000);
    expect(await signIn(user.email, PASSWORD, code)).toBe("TwoFactorInvalid");
    // The code that confirmed the setup is spent too.
    const user2 = await signUpUser();
    const setupCode = totp((await enable(user2)).secret, Date.now());
    expect(await signIn(user2.email, PASSWORD, setupCode)).toBe("TwoFactorInvalid");
    at(T0 + 70_000);
    expect(await signIn(user.email, PASSWORD, totp(secret, Date.now()))).toBe("signed-in");
  });

  it("takes a recovery code instead, once", async () => {
    const user = await signUpUser();
    const { recoveryCodes } = await enable(user);
    expect(await signIn(user.email, PASSWORD, recoveryCodes[3]!.toUpperCase())).toBe("signed-in");
    expect(await signIn(user.email, PASSWORD, recoveryCodes[3]!)).toBe("TwoFactorInvalid");
    expect(await status(user)).toEqual({ enabled: true, recoveryCodesLeft: 9 });
  });

  it("has its own rate limit: past it, even the right code is refused until the window ends", async () => {
    const user = await signUpUser();
    const { secret } = await enable(user);
    at(T0 + 30_000);
    for (let i = 0; i < 4; i++)
      expect(await signIn(user.email, PASSWORD, `00000${i}`)).toBe("TwoFactorInvalid");
    expect(await signIn(user.email, PASSWORD, totp(secret, Date.now()))).toBe("TwoFactorRateLimited");
    const audit = await db.auditEvent.findMany({ where: { userId: user.id, type: "two_factor_failed" } });
    expect(audit.length).toBe(4);
  });
});

describe("turning two-factor off", () => {
  it("needs both the password and a code; then the password alone signs in again", async () => {
    const user = await signUpUser();
    const { secret } = await enable(user);
    at(T0 + 30_000);
    const code = totp(secret, Date.now());
    const noPassword = await callRoute(disable, {
      method: "DELETE",
      user,
      json: { password: "guess", code },
    });
    expect(noPassword.status).toBe(400);
    const noCode = await callRoute(disable, { method: "DELETE", user, json: { password: PASSWORD } });
    expect(noCode.status).toBe(400);
    const wrongCode = await callRoute(disable, {
      method: "DELETE",
      user,
      json: { password: PASSWORD, code: "999999" },
    });
    expect(wrongCode.status).toBe(400);
    expect((await status(user)).enabled).toBe(true);

    const res = await callRoute(disable, { method: "DELETE", user, json: { password: PASSWORD, code } });
    expect(res.status).toBe(204);
    expect(await status(user)).toEqual({ enabled: false, recoveryCodesLeft: 0 });
    expect(await signIn(user.email, PASSWORD)).toBe("signed-in");
    expect(await db.recoveryCode.count({ where: { userId: user.id } })).toBe(0);
  });
});
