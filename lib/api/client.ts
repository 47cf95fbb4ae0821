// Browser-side fetch helper: JSON in, JSON out, and the server's one error shape surfaced as ApiClientError.
import type { ApiErrorBody } from "@/lib/api/error-body";

export class ApiClientError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
    readonly fields: Record<string, string[]> = {},
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = "ApiClientError";
  }
}

export async function fetchJson<T>(url: string, init: RequestInit & { json?: unknown } = {}): Promise<T> {
  const { json, headers, ...rest } = init;
  let res: Response;
  try {
    res = await fetch(url, {
      ...rest,
      headers: { ...(json !== undefined ? { "content-type": "application/json" } : {}), ...headers },
      body: json !== undefined ? JSON.stringify(json) : rest.body,
    });
  } catch {
    throw new ApiClientError("Cannot reach SecureVault. Check your connection.", 0, "network_error");
  }
  if (res.status === 204) return undefined as T;
  // The session is over (revoked or expired): this device forgets what it kept for it before saying so.
  if (res.status === 401) await forgetEndedSessionQuietly();
  const body = (await res.json().catch(() => null)) as (T & Partial<ApiErrorBody>) | null;
  if (!res.ok) {
    const retryAfter = Number(res.headers.get("retry-after") ?? NaN);
    throw new ApiClientError(
      body?.error?.message ?? `Request failed (${res.status}).`,
      res.status,
      body?.error?.code ?? "http_error",
      body?.error?.fields ?? {},
      Number.isFinite(retryAfter) ? retryAfter : undefined,
    );
  }
  return body as T;
}

async function forgetEndedSessionQuietly(): Promise<void> {
  try {
    await (await import("@/lib/offline/session-end")).forgetEndedSession();
  } catch {
    // Clearing is best effort; the 401 itself is what the caller needs to hear.
  }
}
