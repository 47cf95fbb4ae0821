import "server-only";
import { db } from "@/lib/db/client";
import { log } from "@/lib/log/logger";
import { clientAddress } from "@/lib/rate-limit/limits";
import { clientAddressFrom } from "@/lib/security/client-address";

/** Security events a user can review in Settings. Details are labels and counts — never secrets. */
export const AUDIT_EVENT_TYPES = [
  "sign_in",
  "sign_in_failed",
  "password_changed",
  "password_change_failed",
  "password_reset",
  "signed_out_everywhere",
  "sender_created",
  "sender_updated",
  "sender_deleted",
  "data_exported",
  "two_factor_enabled",
  "two_factor_disabled",
  "two_factor_failed",
  "recovery_code_used",
  "invitation_created",
  "invitation_revoked",
  "api_key_created",
  "api_key_revoked",
  "webhook_disabled",
] as const;
export type AuditEventType = (typeof AUDIT_EVENT_TYPES)[number];

export type RequestMeta = { ip: string | null; userAgent: string | null };

export type AuditEventView = {
  id: string;
  type: AuditEventType;
  detail: string | null;
  ip: string | null;
  userAgent: string | null;
  createdAt: string;
};

export function requestMeta(req: Request): RequestMeta {
  return metaFromHeaders((name) => req.headers.get(name), clientAddress(req));
}

/** next-auth's authorize() gets a plain header record rather than a Request. */
export function metaFromHeaderRecord(headers: Record<string, unknown> | undefined): RequestMeta {
  const get = (name: string) => {
    const value = headers?.[name];
    return typeof value === "string" ? value : null;
  };
  return metaFromHeaders(get, clientAddressFrom(get));
}

function metaFromHeaders(get: (name: string) => string | null, ip: string | null): RequestMeta {
  return {
    ip: ip && ip !== "local" ? ip.slice(0, 64) : null,
    userAgent: get("user-agent")?.slice(0, 300) ?? null,
  };
}

/**
 * Records an event; a failure to record is logged and swallowed, because the action it describes has happened
 * (or been refused) already and must not turn into a 500.
 */
export async function recordAuditEvent(
  userId: string,
  type: AuditEventType,
  meta: RequestMeta,
  detail?: string,
): Promise<void> {
  try {
    await db.auditEvent.create({
      data: { userId, type, detail: detail?.slice(0, 300) ?? null, ip: meta.ip, userAgent: meta.userAgent },
    });
  } catch (error) {
    log.warn({ err: error, type }, "could not record audit event");
  }
}

/** The user's events, newest first; `cursor` is the id of the last event of the previous page. */
export async function listAuditEvents(
  userId: string,
  { cursor, limit = 20 }: { cursor?: string; limit?: number } = {},
): Promise<{ events: AuditEventView[]; nextCursor: string | null }> {
  const anchor = cursor
    ? await db.auditEvent.findFirst({ where: { id: cursor, userId }, select: { id: true } })
    : null;
  const rows = await db.auditEvent.findMany({
    where: { userId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    cursor: anchor ? { id: anchor.id } : undefined,
    skip: anchor ? 1 : 0,
    take: limit + 1,
  });
  const events = rows.slice(0, limit).map((r) => ({
    id: r.id,
    type: r.type as AuditEventType,
    detail: r.detail,
    ip: r.ip,
    userAgent: r.userAgent,
    createdAt: r.createdAt.toISOString(),
  }));
  return { events, nextCursor: rows.length > limit ? (events.at(-1)?.id ?? null) : null };
}
