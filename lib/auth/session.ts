import "server-only";
import { decode } from "next-auth/jwt";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { sessionCookieName } from "@/lib/auth/cookies";
import { getUserForSession, type PublicUser } from "@/lib/auth/users";
import { TtlCache } from "@/lib/cache/ttl-cache";
import { getInstanceSecrets } from "@/lib/crypto/instance-secrets";

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
// caching per token keeps that off the hot path. Deleting a user, signing out everywhere and changing the
// password evict their sessions here at once (forgetUserSessions); other processes follow within the TTL.
const g = globalThis as unknown as { securevaultSessions?: TtlCache<SessionUser> };
const sessions: TtlCache<SessionUser> = (g.securevaultSessions ??= new TtlCache<SessionUser>(5_000));

export function forgetUserSessions(userId: string): void {
  sessions.deleteWhere((user) => user.id === userId);
}

async function userFromToken(token: string | null): Promise<SessionUser | null> {
  if (!token) return null;
  const cached = sessions.get(token);
  if (cached) return cached;
  const user = await loadUserFromToken(token);
  if (user) sessions.set(token, user);
  return user;
}

async function loadUserFromToken(token: string): Promise<SessionUser | null> {
  let payload: Awaited<ReturnType<typeof decode>>;
  try {
    payload = await decode({ token, secret: getInstanceSecrets().authSecret });
  } catch {
    return null;
  }
  if (!payload?.sub) return null;
  // Sessions made before session versions existed carry none: they belong to version 0.
  const version = typeof payload.sv === "number" ? payload.sv : 0;
  return getUserForSession(payload.sub, version);
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
