import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { ApiError } from "@/lib/api/errors";
import { isApiKeyScope, type ApiKeyScope } from "@/lib/api-keys/scopes";
import { recordAuditEvent, type RequestMeta } from "@/lib/audit/events";
import { verifyCurrentPasswordOrThrow } from "@/lib/auth/account-security";
import { isTwoFactorEnabled, verifySecondFactor } from "@/lib/auth/two-factor";
import { db } from "@/lib/db/client";
import type { ApiKey } from "@/lib/generated/prisma/client";
import { MAX_API_KEYS, type CreateApiKeyBody } from "@/lib/validation/api-keys";

// A key is "sv_live_" and 32 base62 characters (190 bits). The prefix lets secret scanners (GitHub's, gitleaks)
// recognise a leaked key; the randomness makes a plain SHA-256 a safe way to store it — there is nothing to
// guess, so no slow password hash is needed, and a lookup by hash is one indexed read per request.
export const API_KEY_PREFIX = "sv_live_";
const KEY_CHARS = 32;
const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const KEY_PATTERN = /^sv_live_[0-9A-Za-z]{32}$/;
/** Characters of the key kept in the clear (prefix + 4), so a list can tell keys apart. */
const SHOWN_CHARS = API_KEY_PREFIX.length + 4;
/** lastUsedAt moves at most this often: a busy key does not write on every request. */
const LAST_USED_PRECISION_MS = 60_000;

export type ApiKeyView = {
  id: string;
  name: string;
  /** The start of the key ("sv_live_AbCd…"). */
  prefix: string;
  scopes: ApiKeyScope[];
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
  createdAt: string;
};

/** The key's owner and what it may do, once its Bearer token checked out. */
export type ApiKeyPrincipal = { keyId: string; userId: string; scopes: ApiKeyScope[] };

export function hashApiKey(key: string): string {
  return createHash("sha256").update(key, "utf8").digest("hex");
}

export function generateApiKey(): string {
  // Rejection sampling keeps every character equally likely (256 is not a multiple of 62).
  let out = "";
  while (out.length < KEY_CHARS) {
    for (const byte of randomBytes(48)) {
      if (byte < 248 && out.length < KEY_CHARS) out += BASE62[byte % 62];
    }
  }
  return API_KEY_PREFIX + out;
}

/** Creates a key after re-authentication; the key itself is in this answer and nowhere else, ever. */
export async function createApiKey(
  userId: string,
  input: CreateApiKeyBody,
  meta: RequestMeta,
): Promise<{ key: string; apiKey: ApiKeyView }> {
  await reauthenticateOrThrow(userId, input, meta);
  if ((await db.apiKey.count({ where: { userId, revokedAt: null } })) >= MAX_API_KEYS) {
    throw new ApiError("conflict", `You have ${MAX_API_KEYS} keys already. Revoke one you no longer use.`);
  }
  const key = generateApiKey();
  const row = await db.apiKey.create({
    data: {
      userId,
      name: input.name,
      prefix: key.slice(0, SHOWN_CHARS),
      keyHash: hashApiKey(key),
      scopes: input.scopes,
      expiresAt: input.expiresAt ? new Date(input.expiresAt) : null,
    },
  });
  await recordAuditEvent(userId, "api_key_created", meta, input.name);
  return { key, apiKey: toApiKeyView(row) };
}

export async function listApiKeys(userId: string): Promise<ApiKeyView[]> {
  const rows = await db.apiKey.findMany({ where: { userId }, orderBy: { createdAt: "desc" } });
  return rows.map(toApiKeyView);
}

/** Revokes a key at once (the next request with it is a 401). Revoking twice is fine. */
export async function revokeApiKey(userId: string, id: string, meta: RequestMeta): Promise<ApiKeyView> {
  const row = await db.apiKey.findFirst({ where: { id, userId } });
  if (!row) throw new ApiError("not_found", "API key not found.");
  if (row.revokedAt) return toApiKeyView(row);
  const revoked = await db.apiKey.update({ where: { id }, data: { revokedAt: new Date() } });
  await recordAuditEvent(userId, "api_key_revoked", meta, row.name);
  return toApiKeyView(revoked);
}

/**
 * The principal behind an `Authorization: Bearer` key, or a 401 saying why not (malformed, unknown, revoked,
 * expired — told apart so an integrator can fix the right thing; none of them reveals anything about a key
 * that is not the caller's).
 */
export async function authenticateApiKeyOrThrow(authorization: string | null): Promise<ApiKeyPrincipal> {
  const token = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "")?.[1];
  if (!token) {
    throw new ApiError("unauthorized", "Send your API key as Authorization: Bearer sv_live_….");
  }
  if (!KEY_PATTERN.test(token)) throw new ApiError("unauthorized", "That is not a SecureVault API key.");
  const row = await db.apiKey.findUnique({ where: { keyHash: hashApiKey(token) } });
  if (!row) throw new ApiError("unauthorized", "This API key does not exist.");
  if (row.revokedAt) throw new ApiError("unauthorized", "This API key was revoked.");
  const now = Date.now();
  if (row.expiresAt && row.expiresAt.getTime() <= now) {
    throw new ApiError("unauthorized", "This API key has expired. Create a new one in Settings.");
  }
  if (!row.lastUsedAt || now - row.lastUsedAt.getTime() >= LAST_USED_PRECISION_MS) {
    await db.apiKey.updateMany({ where: { id: row.id }, data: { lastUsedAt: new Date(now) } });
  }
  return { keyId: row.id, userId: row.userId, scopes: scopesOf(row) };
}

/** 403 naming the missing scope: the key is good, it was just not given this power. */
export function assertScope(principal: ApiKeyPrincipal, scope: ApiKeyScope): void {
  if (!principal.scopes.includes(scope)) {
    throw new ApiError("forbidden", `This API key lacks the "${scope}" scope.`);
  }
}

async function reauthenticateOrThrow(userId: string, input: CreateApiKeyBody, meta: RequestMeta) {
  if (input.password) {
    await verifyCurrentPasswordOrThrow(userId, input.password, "password", meta);
    return;
  }
  if (!(await isTwoFactorEnabled(userId))) {
    throw new ApiError("validation_failed", "Enter your password to create a key.", {
      fields: { password: ["Enter your password to create a key."] },
    });
  }
  if (!(await verifySecondFactor(userId, input.code ?? "", meta))) {
    throw new ApiError("validation_failed", "That code is not right. Try the current one.", {
      fields: { code: ["That code is not right. Try the current one."] },
    });
  }
}

function scopesOf(row: ApiKey): ApiKeyScope[] {
  return Array.isArray(row.scopes) ? row.scopes.filter(isApiKeyScope) : [];
}

function toApiKeyView(row: ApiKey): ApiKeyView {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scopes: scopesOf(row),
    expiresAt: row.expiresAt?.toISOString() ?? null,
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}
