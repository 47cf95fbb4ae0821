import "server-only";
import { ApiError } from "@/lib/api/errors";
import { burnPasswordCheck, hashPassword, verifyPassword } from "@/lib/auth/password";
import { db } from "@/lib/db/client";
import { isUniqueViolation } from "@/lib/db/errors";
import { sandboxSenderData } from "@/lib/senders/sandbox-sender";
import type { AccountSettingsBody, SignUpBody } from "@/lib/validation/auth";

export type PublicUser = {
  id: string;
  email: string;
  name: string | null;
  createdAt: Date;
  /** The user's undo window; null follows the instance default (UNDO_SEND_SECONDS). */
  undoSendSeconds: number | null;
  /** The instance's administrator (the first account): manages invitations. */
  isAdmin: boolean;
};

const publicUserSelect = {
  id: true,
  email: true,
  name: true,
  createdAt: true,
  undoSendSeconds: true,
  isAdmin: true,
} as const;

type DbClient = Pick<typeof db, "user">;

/**
 * Creates an account together with its Sandbox sender, so a new user can send at once. Who may create one is
 * decided before (lib/auth/sign-up.ts); `client` is that decision's transaction.
 */
export async function createUser(
  input: SignUpBody,
  {
    isAdmin = false,
    client = db,
    passwordHash,
  }: { isAdmin?: boolean; client?: DbClient; passwordHash?: string } = {},
): Promise<PublicUser> {
  passwordHash ??= await hashPassword(input.password);
  try {
    return await client.user.create({
      data: {
        email: input.email,
        name: input.name || null,
        passwordHash,
        isAdmin,
        senders: { create: sandboxSenderData(input.email, input.name) },
      },
      select: publicUserSelect,
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new ApiError("conflict", "An account with this email already exists. Sign in instead.", {
        fields: { email: ["An account with this email already exists."] },
      });
    }
    throw error;
  }
}

/** Returns the user (and the session version a new session carries) when the password matches; null otherwise (same timing either way). */
export async function authenticateUser(
  email: string,
  password: string,
): Promise<(PublicUser & { sessionVersion: number }) | null> {
  const user = await db.user.findUnique({
    where: { email },
    select: { ...publicUserSelect, passwordHash: true, sessionVersion: true },
  });
  if (!user) {
    await burnPasswordCheck(password);
    return null;
  }
  if (!(await verifyPassword(user.passwordHash, password))) return null;
  const { passwordHash: _hash, ...publicUser } = user;
  return publicUser;
}

export async function getUserById(id: string): Promise<PublicUser | null> {
  return db.user.findUnique({ where: { id }, select: publicUserSelect });
}

/** The user a session belongs to, unless the session predates a "sign out everywhere" or password change. */
export async function getUserForSession(id: string, sessionVersion: number): Promise<PublicUser | null> {
  const user = await db.user.findUnique({
    where: { id },
    select: { ...publicUserSelect, sessionVersion: true },
  });
  if (!user || user.sessionVersion !== sessionVersion) return null;
  const { sessionVersion: _version, ...publicUser } = user;
  return publicUser;
}

/** Saves the user's own settings and returns the updated user. */
export async function updateUserSettings(id: string, settings: AccountSettingsBody): Promise<PublicUser> {
  return db.user.update({ where: { id }, data: settings, select: publicUserSelect });
}
