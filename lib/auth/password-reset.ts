import "server-only";
import { ApiError } from "@/lib/api/errors";
import { recordAuditEvent, type RequestMeta } from "@/lib/audit/events";
import { hashOneTimeToken, newOneTimeToken } from "@/lib/auth/one-time-token";
import { hashPassword } from "@/lib/auth/password";
import { revokeDevices } from "@/lib/auth/account-security";
import { db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { limits } from "@/lib/rate-limit/limits";
import { appLink, paragraphsWithLink, runAccountMailTask, sendSystemMail } from "@/lib/system-mail/mailer";
import type { PasswordResetBody } from "@/lib/validation/auth";

/**
 * "Forgot password?": the answer is the same whether or not an account has this address, and comes before any
 * lookup (the lookup, the token and the email happen afterwards), so neither its text nor its timing tells.
 * Limited per email address and per client address.
 */
export async function requestPasswordReset(email: string, clientAddress: string): Promise<void> {
  const message = "Too many password reset requests. Wait a while and try again.";
  await limits.passwordResetPerAddress.consumeOrThrow(`request:${clientAddress}`, message);
  await limits.passwordReset.consumeOrThrow(`email:${email}`, message);
  runAccountMailTask("password reset", () => sendResetLink(email));
}

async function sendResetLink(email: string): Promise<void> {
  const user = await db.user.findUnique({ where: { email }, select: { id: true, name: true } });
  if (!user) return;
  const { token, tokenHash } = newOneTimeToken();
  const expiresAt = new Date(Date.now() + env.PASSWORD_RESET_TTL_MINUTES * 60_000);
  // Only the newest link works: an older one lying in the inbox is worthless.
  await db.$transaction([
    db.passwordResetToken.deleteMany({ where: { userId: user.id } }),
    db.passwordResetToken.create({ data: { userId: user.id, tokenHash, expiresAt } }),
  ]);
  const link = appLink(`/reset-password#token=${token}`);
  const minutes = env.PASSWORD_RESET_TTL_MINUTES;
  const greeting = user.name ? `Hello ${user.name},` : "Hello,";
  const lines = [
    greeting,
    "",
    "Someone (we hope you) asked to reset the password of your SecureVault account.",
    `Choose a new password here (the link works once, for ${minutes} minutes):`,
    "",
    link,
    "",
    "If you did not ask, ignore this email: your password stays as it is.",
  ];
  await sendSystemMail({
    to: email,
    subject: "Reset your SecureVault password",
    text: lines.join("\n"),
    html: paragraphsWithLink(lines, link),
    sandboxUserId: user.id,
  });
}

/**
 * Sets a new password from a reset link: the token must be unused and unexpired, and is used up by this call
 * whatever else happens. Every session of the account ends (sessionVersion), and the reset is audited.
 */
export async function resetPassword(
  input: PasswordResetBody,
  meta: RequestMeta,
  clientAddress: string,
): Promise<void> {
  await limits.passwordResetPerAddress.consumeOrThrow(
    `confirm:${clientAddress}`,
    "Too many password reset attempts. Wait a while and try again.",
  );
  const passwordHash = await hashPassword(input.newPassword);
  const tokenHash = hashOneTimeToken(input.token);
  const userId = await db.$transaction(async (tx) => {
    const row = await tx.passwordResetToken.findUnique({ where: { tokenHash } });
    if (!row) return null;
    // Used up first, conditionally: of two requests with the same link, one wins.
    const claimed = await tx.passwordResetToken.updateMany({
      where: { id: row.id, usedAt: null, expiresAt: { gt: new Date() } },
      data: { usedAt: new Date() },
    });
    if (claimed.count !== 1) return null;
    await tx.user.update({
      where: { id: row.userId },
      data: { passwordHash, sessionVersion: { increment: 1 } },
    });
    await tx.passwordResetToken.deleteMany({ where: { userId: row.userId, id: { not: row.id } } });
    return row.userId;
  });
  if (!userId) {
    const message = "This reset link is invalid, expired or already used. Ask for a new one.";
    throw new ApiError("validation_failed", message, { fields: { token: [message] } });
  }
  // Whoever knew the old password may hold a session or a subscribed device: both go.
  await revokeDevices(userId);
  await recordAuditEvent(userId, "password_reset", meta);
}
