import "server-only";
import { decode } from "next-auth/jwt";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { sessionCookieName } from "@/lib/auth/cookies";
import { resumeSession } from "@/lib/auth/session-store";
import { getUserForSession, type PublicUser } from "@/lib/auth/users";
import { TtlCache } from "@/lib/cache/ttl-cache";
import { getInstanceSecrets } from "@/lib/crypto/instance-secrets";
import { processSingleton } from "@/lib/server/singleton";

export type SessionUser = PublicUser;

/** Resolves the signed-in user from a request's session cookie; null when absent, invalid or the user is gone. */
export async function getSessionUser(req: Request): Promise<SessionUser | null> {
  return userFromToken(readSessionCookie(req.headers.get("cookie") ?? ""));
}

/** For server components: the signed-in user, or a redirect to sign-in. */
export async function requirePageUser(): Promise<SessionUser> {
  const store = await cookies();
  const token = collectChunks(store.getAll().map((c) => [c.name, c.value]));
  const user = await userFromToken(token);
  if (!user) redirect("/sign-in");
  return user;
}

export async function getPageUser(): Promise<SessionUser | null> {
  const store = await cookies();
  return userFromToken(collectChunks(store.getAll().map((c) => [c.name, c.value])));
}

// Decrypting the session and loading its user costs more than the rest of a send request; a few seconds of
// caching per token keeps that off the hot path. Deleting a user, signing out (here or everywhere) and changing
// the password evict their sessions here at once; other processes follow within the TTL.
type CachedSession = { user: SessionUser; sessionId: string };
const sessions = processSingleton("sessions", () => new TtlCache<CachedSession>(5_000));

export function forgetUserSessions(userId: string): void {
  sessions.deleteWhere((cached) => cached.user.id === userId);
}

export function forgetSession(sessionId: string): void {
  sessions.deleteWhere((cached) => cached.sessionId === sessionId);
}

async function userFromToken(token: string | null): Promise<SessionUser | null> {
  if (!token) return null;
  // Requests that arrive together when the entry expires wait for one lookup, not one each.
  return (await sessions.getOrLoad(token, () => loadSessionFromToken(token)))?.user ?? null;
}

async function loadSessionFromToken(token: string): Promise<CachedSession | null> {
  let payload: Awaited<ReturnType<typeof decode>>;
  try {
    payload = await decode({ token, secret: getInstanceSecrets().authSecret });
  } catch {
    return null;
  }
  // A cookie without a server-side session (made before sessions were stored) cannot be revoked: refused.
  if (!payload?.sub || typeof payload.sid !== "string") return null;
  if (!(await resumeSession(payload.sid, payload.sub))) return null;
  // Sessions made before session versions existed carry none: they belong to version 0.
  const version = typeof payload.sv === "number" ? payload.sv : 0;
  const user = await getUserForSession(payload.sub, version);
  return user && { user, sessionId: payload.sid };
}

function readSessionCookie(header: string): string | null {
  const pairs: [string, string][] = [];
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    pairs.push([part.slice(0, eq).trim(), safeDecode(part.slice(eq + 1).trim())]);
  }
  return collectChunks(pairs);
}

// next-auth splits large session cookies into name.0, name.1, …
function collectChunks(pairs: [string, string][]): string | null {
  const chunks = pairs
    .filter(([name]) => name === sessionCookieName || name.startsWith(`${sessionCookieName}.`))
    .sort(([a], [b]) => chunkIndex(a) - chunkIndex(b));
  return chunks.length ? chunks.map(([, v]) => v).join("") : null;
}

function chunkIndex(name: string): number {
  const suffix = name.slice(sessionCookieName.length + 1);
  return suffix ? Number(suffix) : 0;
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
