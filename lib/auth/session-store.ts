import "server-only";
import { db } from "@/lib/db/client";
import { env } from "@/lib/env";

// Server-side sessions: the session cookie only names a row here, so ending a session is deleting its row.
const IDLE_MS = env.SESSION_IDLE_MINUTES * 60_000;
const MAX_AGE_MS = env.SESSION_MAX_DAYS * 24 * 60 * 60_000;
// Writing lastSeenAt on every request would put a write on the send path; a minute's precision is plenty for
// a timeout counted in hours or days.
const TOUCH_EVERY_MS = 60_000;

export const SESSION_MAX_AGE_S = env.SESSION_MAX_DAYS * 24 * 60 * 60;

/** Starts a session for a device that just signed in; returns its id (carried in the session cookie). */
export async function createSession(userId: string, now = new Date()): Promise<string> {
  // Each sign-in is a good moment to forget sessions that ended on their own: everyone's past their lifetime
  // (indexed), and this user's idle ones.
  await db.session.deleteMany({
    where: {
      OR: [{ expiresAt: { lte: now } }, { userId, lastSeenAt: { lt: new Date(now.getTime() - IDLE_MS) } }],
    },
  });
  const session = await db.session.create({
    data: { userId, createdAt: now, lastSeenAt: now, expiresAt: new Date(now.getTime() + MAX_AGE_MS) },
    select: { id: true },
  });
  return session.id;
}

/**
 * True when the session exists, belongs to the user and has neither been idle too long nor outlived its
 * lifetime; it then counts as used now. A session found expired is deleted.
 */
export async function resumeSession(sessionId: string, userId: string, now = new Date()): Promise<boolean> {
  const session = await db.session.findUnique({
    where: { id: sessionId },
    select: { userId: true, lastSeenAt: true, expiresAt: true },
  });
  if (!session || session.userId !== userId) return false;
  const idleFor = now.getTime() - session.lastSeenAt.getTime();
  if (session.expiresAt <= now || idleFor > IDLE_MS) {
    await endSession(sessionId);
    return false;
  }
  if (idleFor > TOUCH_EVERY_MS) {
    await db.session.updateMany({ where: { id: sessionId }, data: { lastSeenAt: now } });
  }
  return true;
}

/** Ends one session (sign out on this device). */
export async function endSession(sessionId: string): Promise<void> {
  await db.session.deleteMany({ where: { id: sessionId } });
}

/** Ends every session of the user (sign out everywhere, password change, account deletion). */
export async function endAllSessions(userId: string): Promise<void> {
  await db.session.deleteMany({ where: { userId } });
}
