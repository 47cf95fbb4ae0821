import "server-only";
import { ApiError } from "@/lib/api/errors";
import { recordAuditEvent, type RequestMeta } from "@/lib/audit/events";
import { hashOneTimeToken, newOneTimeToken } from "@/lib/auth/one-time-token";
import { db } from "@/lib/db/client";
import { env } from "@/lib/env";
import type { Invitation } from "@/lib/generated/prisma/client";
import { log } from "@/lib/log/logger";
import { appLink, paragraphsWithLink, sendSystemMail } from "@/lib/system-mail/mailer";
import type { CreateInvitationBody } from "@/lib/validation/auth";

export type InvitationStatus = "pending" | "used" | "revoked" | "expired";

/** What the API shows of an invitation: never its token (only the creator saw the link, once). */
export type InvitationView = {
  id: string;
  email: string | null;
  status: InvitationStatus;
  expiresAt: string;
  createdAt: string;
  usedAt: string | null;
  usedByEmail: string | null;
};

type Tx = Pick<typeof db, "invitation">;

export function toInvitationView(row: Invitation, now = new Date()): InvitationView {
  const status: InvitationStatus = row.usedAt
    ? "used"
    : row.revokedAt
      ? "revoked"
      : row.expiresAt <= now
        ? "expired"
        : "pending";
  return {
    id: row.id,
    email: row.email,
    status,
    expiresAt: row.expiresAt.toISOString(),
    createdAt: row.createdAt.toISOString(),
    usedAt: row.usedAt?.toISOString() ?? null,
    usedByEmail: row.usedByEmail,
  };
}

/** Invitations are the administrator's: 403 for anyone else (they are signed in, just not allowed). */
export async function assertAdminOrThrow(userId: string): Promise<void> {
  const user = await db.user.findUnique({ where: { id: userId }, select: { isAdmin: true } });
  if (!user?.isAdmin) throw new ApiError("forbidden", "Only the administrator can manage invitations.");
}

/**
 * A single-use link that lets one person sign up (only with `email`, when given), valid INVITE_TTL_HOURS. The
 * link is returned once, to copy; when an email address is given it is also mailed by the system mailer.
 */
export async function createInvitation(
  adminId: string,
  input: CreateInvitationBody,
  meta: RequestMeta,
): Promise<{ invitation: InvitationView; link: string; emailed: boolean }> {
  await assertAdminOrThrow(adminId);
  if (env.SIGNUP_MODE === "closed") {
    throw new ApiError(
      "conflict",
      "Sign-up is closed on this server (SIGNUP_MODE=closed): invitations cannot be used.",
    );
  }
  if (input.email && (await db.user.findUnique({ where: { email: input.email }, select: { id: true } }))) {
    throw new ApiError("conflict", "An account with this email already exists.", {
      fields: { email: ["An account with this email already exists."] },
    });
  }
  const { token, tokenHash } = newOneTimeToken();
  const row = await db.invitation.create({
    data: {
      createdById: adminId,
      email: input.email ?? null,
      tokenHash,
      expiresAt: new Date(Date.now() + env.INVITE_TTL_HOURS * 3_600_000),
    },
  });
  const link = appLink(`/sign-up#invite=${token}`);
  await recordAuditEvent(adminId, "invitation_created", meta, input.email ?? "link only");
  const emailed = input.email ? await mailInvitation(adminId, input.email, link) : false;
  return { invitation: toInvitationView(row), link, emailed };
}

async function mailInvitation(adminId: string, email: string, link: string): Promise<boolean> {
  const hours = env.INVITE_TTL_HOURS;
  const lines = [
    "Hello,",
    "",
    "You are invited to create an account on SecureVault.",
    `Sign up here (the link works once, for ${hours >= 48 ? `${Math.round(hours / 24)} days` : `${hours} hours`}):`,
    "",
    link,
  ];
  try {
    await sendSystemMail({
      to: email,
      subject: "You are invited to SecureVault",
      text: lines.join("\n"),
      html: paragraphsWithLink(lines, link),
      sandboxUserId: adminId,
    });
    return true;
  } catch (error) {
    // The link exists and was shown to copy: a mail failure is reported, not fatal.
    log.error({ err: error }, "could not email an invitation");
    return false;
  }
}

export async function listInvitations(adminId: string): Promise<InvitationView[]> {
  await assertAdminOrThrow(adminId);
  const rows = await db.invitation.findMany({
    where: { createdById: adminId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: 100,
  });
  const now = new Date();
  return rows.map((r) => toInvitationView(r, now));
}

/** Revokes a pending invitation: its link stops working. 404 for another's, 409 once used. */
export async function revokeInvitation(
  adminId: string,
  id: string,
  meta: RequestMeta,
): Promise<InvitationView> {
  await assertAdminOrThrow(adminId);
  const row = await db.invitation.findFirst({ where: { id, createdById: adminId } });
  if (!row) throw new ApiError("not_found", "Invitation not found.");
  if (row.usedAt) throw new ApiError("conflict", "This invitation has been used already.");
  const updated = row.revokedAt
    ? row
    : await db.invitation.update({ where: { id: row.id }, data: { revokedAt: new Date() } });
  if (!row.revokedAt) await recordAuditEvent(adminId, "invitation_revoked", meta, row.email ?? "link only");
  return toInvitationView(updated);
}

/**
 * Uses up an invitation for a sign-up, inside the sign-up's transaction (a failed sign-up leaves it unused).
 * Returns false when the token is unknown, used, revoked or expired; throws 400 when it is for another address.
 */
export async function consumeInvitation(tx: Tx, token: string, email: string): Promise<boolean> {
  const row = await tx.invitation.findUnique({ where: { tokenHash: hashOneTimeToken(token) } });
  if (!row) return false;
  if (row.email && row.email !== email) {
    const message = "This invitation is for another email address.";
    throw new ApiError("validation_failed", message, { fields: { email: [message] } });
  }
  const claimed = await tx.invitation.updateMany({
    where: { id: row.id, usedAt: null, revokedAt: null, expiresAt: { gt: new Date() } },
    data: { usedAt: new Date(), usedByEmail: email },
  });
  return claimed.count === 1;
}
