import "server-only";
import { ApiError } from "@/lib/api/errors";
import { recordAuditEvent, type RequestMeta } from "@/lib/audit/events";
import { hashPassword, verifyPassword } from "@/lib/auth/password";
import { forgetUserSessions } from "@/lib/auth/session";
import { endAllSessions } from "@/lib/auth/session-store";
import { db } from "@/lib/db/client";
import { log } from "@/lib/log/logger";
import { revokeGrantsOf } from "@/lib/oauth/tokens";
import { removeAllPushDevices } from "@/lib/push/subscriptions";
import { limits } from "@/lib/rate-limit/limits";
import type { ChangePasswordBody } from "@/lib/validation/auth";

/**
 * Changes the password after checking the current one, and ends every other session: whoever made a change
 * because they suspected a stolen session expects that session to stop working. Every device's push
 * subscription goes too — the server cannot tell which one is this device, so this device subscribes again
 * itself (components/settings/account-security-panel.tsx). Returns what the caller needs to give this device
 * a fresh session.
 */
export async function changePassword(userId: string, input: ChangePasswordBody, meta: RequestMeta) {
  await verifyCurrentPasswordOrThrow(userId, input.currentPassword, "currentPassword", meta);
  const user = await db.user.update({
    where: { id: userId },
    data: { passwordHash: await hashPassword(input.newPassword), sessionVersion: { increment: 1 } },
    select: { id: true, email: true, name: true, sessionVersion: true },
  });
  await revokeDevices(userId);
  await recordAuditEvent(userId, "password_changed", meta);
  return user;
}

/** Ends every session of the user, this one included, and stops pushing mail data to any of their devices. */
export async function signOutEverywhere(userId: string, meta: RequestMeta): Promise<void> {
  await db.user.update({ where: { id: userId }, data: { sessionVersion: { increment: 1 } } });
  await revokeDevices(userId);
  await recordAuditEvent(userId, "signed_out_everywhere", meta);
}

/**
 * Deletes the account and everything it owns (senders, messages and their events, sandbox mail, AI usage,
 * audit events — all cascade in the schema). The audit trail goes with it, so the deletion itself is logged.
 */
export async function deleteAccount(userId: string, password: string, meta: RequestMeta): Promise<void> {
  await verifyCurrentPasswordOrThrow(userId, password, "password", meta);
  // Revocation failures are logged and do not keep the account: the user asked for it to go.
  await revokeGrantsOf(userId);
  await db.user.delete({ where: { id: userId } });
  forgetUserSessions(userId);
  log.info({ userId, ip: meta.ip }, "account deleted by its owner");
}

/**
 * Ends the user's sessions and removes every device's push subscription (a password change, sign-out everywhere,
 * a reset): a push notification names recipients and subjects, and a device no longer signed in must not get one.
 */
export async function revokeDevices(userId: string): Promise<void> {
  await endAllSessions(userId);
  await removeAllPushDevices(userId);
  forgetUserSessions(userId);
}

/** Re-authentication for sensitive changes: the current password, rate limited per user (400 on `field`). */
export async function verifyCurrentPasswordOrThrow(
  userId: string,
  password: string,
  field: string,
  meta: RequestMeta,
): Promise<void> {
  await limits.password.consumeOrThrow(
    `user:${userId}`,
    "Too many password attempts. Wait a few minutes and try again.",
  );
  const user = await db.user.findUnique({ where: { id: userId }, select: { passwordHash: true } });
  if (!user) throw new ApiError("unauthorized", "Sign in to continue.");
  if (!(await verifyPassword(user.passwordHash, password))) {
    if (field === "currentPassword") await recordAuditEvent(userId, "password_change_failed", meta);
    throw new ApiError("validation_failed", "That is not your current password.", {
      fields: { [field]: ["That is not your current password."] },
    });
  }
}
