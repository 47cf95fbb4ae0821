import "server-only";
import { ApiError } from "@/lib/api/errors";
import { hashPassword } from "@/lib/auth/password";
import { createUser, type PublicUser } from "@/lib/auth/users";
import { db } from "@/lib/db/client";
import { onPostgres } from "@/lib/db/dialect";
import { env } from "@/lib/env";
import { consumeInvitation } from "@/lib/invitations/invitations";
import type { SignUpBody } from "@/lib/validation/auth";

/**
 * Creates an account if SIGNUP_MODE lets this person in: the first account of an instance always (it becomes
 * the admin); then anyone (open), only with an admin's invitation (invite), or nobody (closed). The check, the
 * invitation's use and the account are one transaction: a sign-up that fails leaves the invitation unused.
 */
export async function signUp(input: SignUpBody): Promise<PublicUser> {
  const passwordHash = await hashPassword(input.password);
  return db.$transaction(async (tx) => {
    // Sign-ups take turns, so two arriving together on an empty instance cannot both be "the first account".
    // SQLite transactions take turns already; on PostgreSQL a transaction-scoped advisory lock does it.
    // (2026112105: an arbitrary number naming this lock among the database's advisory locks.)
    if (onPostgres) await tx.$executeRaw`SELECT pg_advisory_xact_lock(2026112105)`;
    const first = !(await tx.user.findFirst({ select: { id: true } }));
    if (!first) await admitOrThrow(tx, input);
    return createUser(input, { isAdmin: first, client: tx, passwordHash });
  });
}

async function admitOrThrow(tx: Parameters<typeof consumeInvitation>[0], input: SignUpBody): Promise<void> {
  if (env.SIGNUP_MODE === "closed") {
    throw new ApiError(
      "forbidden",
      "Sign-up is closed on this server. Ask its administrator for an account.",
    );
  }
  if (!input.inviteToken) {
    if (env.SIGNUP_MODE === "open") return;
    throw new ApiError(
      "forbidden",
      "Sign-up on this server is by invitation. Open the link from your invitation email.",
    );
  }
  if (await consumeInvitation(tx, input.inviteToken, input.email)) return;
  // In open mode a stale link is no reason to refuse someone who may sign up anyway.
  if (env.SIGNUP_MODE === "open") return;
  const message = "This invitation link is invalid, expired, revoked or already used. Ask for a new one.";
  throw new ApiError("validation_failed", message, { fields: { inviteToken: [message] } });
}
