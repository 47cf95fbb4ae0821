import "server-only";
import { createHash, randomInt } from "node:crypto";
import { ApiError } from "@/lib/api/errors";
import { recordAuditEvent, type RequestMeta } from "@/lib/audit/events";
import { verifyCurrentPasswordOrThrow } from "@/lib/auth/account-security";
import { base32Decode, base32Encode, generateTotpSecret, matchTotpStep, otpauthUri } from "@/lib/auth/totp";
import { decryptSecret, encryptSecret, totpSecretContext } from "@/lib/crypto/secret-box";
import { db } from "@/lib/db/client";
import { limits } from "@/lib/rate-limit/limits";

// Two-factor sign-in with an authenticator app (TOTP) and single-use recovery codes.
const RECOVERY_CODE_COUNT = 10;
const RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"; // no 0/o, 1/l/i: read off paper, typed by hand

export type TwoFactorStatus = { enabled: boolean; recoveryCodesLeft: number };
export type TwoFactorSetup = { secret: string; uri: string };

export async function getTwoFactorStatus(userId: string): Promise<TwoFactorStatus> {
  const user = await db.user.findUnique({ where: { id: userId }, select: { totpEnabledAt: true } });
  if (!user?.totpEnabledAt) return { enabled: false, recoveryCodesLeft: 0 };
  const recoveryCodesLeft = await db.recoveryCode.count({ where: { userId, usedAt: null } });
  return { enabled: true, recoveryCodesLeft };
}

export async function isTwoFactorEnabled(userId: string): Promise<boolean> {
  const user = await db.user.findUnique({ where: { id: userId }, select: { totpEnabledAt: true } });
  return !!user?.totpEnabledAt;
}

/**
 * Offers a new secret for the authenticator app. It is stored aside and changes nothing until a code made
 * from it is confirmed. The password is asked for because someone holding a stolen session could otherwise
 * put their own authenticator on the account and lock its owner out.
 */
export async function startTwoFactorSetup(
  userId: string,
  password: string,
  meta: RequestMeta,
): Promise<TwoFactorSetup> {
  await verifyCurrentPasswordOrThrow(userId, password, "password", meta);
  const user = await db.user.findUniqueOrThrow({
    where: { id: userId },
    select: { email: true, totpEnabledAt: true },
  });
  if (user.totpEnabledAt) {
    throw new ApiError("conflict", "Two-factor sign-in is already on. Turn it off first to use a new app.");
  }
  const secret = generateTotpSecret();
  const encoded = base32Encode(secret);
  await db.user.update({ where: { id: userId }, data: { totpPendingCipher: encryptSecret(encoded, totpSecretContext(userId)) } });
  return { secret: encoded, uri: otpauthUri(secret, user.email) };
}

/** Turns two-factor on once a code from the offered secret proves the app has it; returns the recovery codes, shown once. */
export async function confirmTwoFactor(userId: string, code: string, meta: RequestMeta): Promise<string[]> {
  await consumeAttemptOrThrow(userId);
  const user = await db.user.findUniqueOrThrow({
    where: { id: userId },
    select: { totpPendingCipher: true, totpEnabledAt: true },
  });
  if (user.totpEnabledAt) throw new ApiError("conflict", "Two-factor sign-in is already on.");
  if (!user.totpPendingCipher) {
    throw new ApiError("conflict", "Start the setup first: there is no secret waiting for a code.");
  }
  const step = matchTotpStep(base32Decode(decryptSecret(user.totpPendingCipher, totpSecretContext(userId))), code, Date.now());
  if (step === null) throw wrongCode("code");
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  // Only if the setup is still pending: two confirmations at once must not both write recovery codes.
  const enabled = await db.$transaction(async (tx) => {
    const { count } = await tx.user.updateMany({
      where: { id: userId, totpPendingCipher: user.totpPendingCipher, totpEnabledAt: null },
      data: {
        totpSecretCipher: user.totpPendingCipher,
        totpPendingCipher: null,
        totpEnabledAt: new Date(),
        totpLastStep: step,
      },
    });
    if (count === 0) return false;
    await tx.recoveryCode.deleteMany({ where: { userId } });
    await tx.recoveryCode.createMany({
      data: codes.map((c) => ({ userId, codeHash: hashRecoveryCode(c) })),
    });
    return true;
  });
  if (!enabled) throw new ApiError("conflict", "Two-factor sign-in was set up by another request.");
  await limits.twoFactor.reset(`user:${userId}`);
  await recordAuditEvent(userId, "two_factor_enabled", meta);
  return codes;
}

/** Turns two-factor off: the password and a current code (or a recovery code) are both required. */
export async function disableTwoFactor(
  userId: string,
  input: { password: string; code: string },
  meta: RequestMeta,
): Promise<void> {
  await verifyCurrentPasswordOrThrow(userId, input.password, "password", meta);
  if (!(await isTwoFactorEnabled(userId))) {
    throw new ApiError("conflict", "Two-factor sign-in is not on.");
  }
  if (!(await verifySecondFactor(userId, input.code, meta))) throw wrongCode("code");
  await db.$transaction([
    db.user.update({
      where: { id: userId },
      data: { totpSecretCipher: null, totpPendingCipher: null, totpEnabledAt: null, totpLastStep: null },
    }),
    db.recoveryCode.deleteMany({ where: { userId } }),
  ]);
  await recordAuditEvent(userId, "two_factor_disabled", meta);
}

/** What the credentials sign-in tells the page when the password was right (next-auth's `error` parameter). */
export type SignInSecondFactorProblem = "TwoFactorRequired" | "TwoFactorInvalid" | "TwoFactorRateLimited";

/**
 * The second step of signing in, after the password matched: null when the account has no two-factor or the
 * code is good. Only a caller who already gave the right password ever gets here, so these answers reveal
 * nothing the password did not.
 */
export async function signInSecondFactorProblem(
  userId: string,
  code: string | undefined,
  meta: RequestMeta,
): Promise<SignInSecondFactorProblem | null> {
  if (!(await isTwoFactorEnabled(userId))) return null;
  if (!code?.trim()) return "TwoFactorRequired";
  try {
    return (await verifySecondFactor(userId, code.trim(), meta)) ? null : "TwoFactorInvalid";
  } catch (error) {
    if (error instanceof ApiError && error.code === "rate_limited") return "TwoFactorRateLimited";
    throw error;
  }
}

/**
 * Checks a second factor: a six-digit code from the app (each time step accepted once) or an unused
 * recovery code (then used up). Rate limited per account: throws 429 past the limit. Records failures.
 */
export async function verifySecondFactor(userId: string, code: string, meta: RequestMeta): Promise<boolean> {
  await consumeAttemptOrThrow(userId);
  const ok = await acceptCode(userId, code.replace(/[\s-]/g, ""), meta);
  if (ok) await limits.twoFactor.reset(`user:${userId}`);
  else await recordAuditEvent(userId, "two_factor_failed", meta);
  return ok;
}

async function acceptCode(userId: string, code: string, meta: RequestMeta): Promise<boolean> {
  if (/^\d{6}$/.test(code)) {
    const user = await db.user.findUnique({ where: { id: userId }, select: { totpSecretCipher: true } });
    if (!user?.totpSecretCipher) return false;
    const step = matchTotpStep(base32Decode(decryptSecret(user.totpSecretCipher, totpSecretContext(userId))), code, Date.now());
    if (step === null) return false;
    // Moving the last accepted step forward is the check: a replay (or a race with the same code) fails it.
    const { count } = await db.user.updateMany({
      where: { id: userId, OR: [{ totpLastStep: null }, { totpLastStep: { lt: step } }] },
      data: { totpLastStep: step },
    });
    return count === 1;
  }
  if (!/^[a-z0-9]{10}$/i.test(code)) return false;
  const { count } = await db.recoveryCode.updateMany({
    where: { userId, codeHash: hashRecoveryCode(code), usedAt: null },
    data: { usedAt: new Date() },
  });
  if (count === 1) await recordAuditEvent(userId, "recovery_code_used", meta);
  return count === 1;
}

async function consumeAttemptOrThrow(userId: string): Promise<void> {
  await limits.twoFactor.consumeOrThrow(
    `user:${userId}`,
    "Too many two-factor codes tried. Wait a few minutes and try again.",
  );
}

function wrongCode(field: string): ApiError {
  const message = "That code is not right. Enter the current code from your authenticator app.";
  return new ApiError("validation_failed", message, { fields: { [field]: [message] } });
}

/** Ten characters from a 31-letter alphabet (≈50 bits), shown as xxxxx-xxxxx. */
function newRecoveryCode(): string {
  const chars = Array.from({ length: 10 }, () => RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)]).join(
    "",
  );
  return `${chars.slice(0, 5)}-${chars.slice(5)}`;
}

// Random codes need no slow hash: a leaked table gives nothing to guess from.
function hashRecoveryCode(code: string): string {
  return createHash("sha256").update(code.replace(/[\s-]/g, "").toLowerCase()).digest("hex");
}
