import { requestContext } from "@/lib/observability/request-context";
import "server-only";
import { isDatabaseBusy } from "@/lib/db/errors";
import { log } from "@/lib/log/logger";
import type { ApiErrorBody, ApiErrorCode, FieldErrors } from "@/lib/api/error-body";
import { jsonResponse } from "@/lib/api/small-json";

const statusByCode: Record<ApiErrorCode, number> = {
  bad_request: 400,
  invalid_json: 400,
  validation_failed: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal_error: 500,
  upstream_error: 502,
  not_configured: 503,
  busy: 503,
  upstream_timeout: 504,
};

// Next.js bundles pages and route handlers apart, so one module can be loaded twice in a process, and objects
// kept on globalThis (the rate limiters) throw the copy's ApiError. "Is an ApiError" is decided by a brand
// shared by every copy, not by class identity; otherwise a 429 from such an object would become a 500.
const apiErrorBrand = Symbol.for("securevault.ApiError");

export class ApiError extends Error {
  readonly status: number;
  readonly [apiErrorBrand] = true;

  static [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === "object" && value !== null && apiErrorBrand in value;
  }

  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly options: { fields?: FieldErrors; retryAfterSeconds?: number } = {},
  ) {
    super(message);
    this.name = "ApiError";
    this.status = statusByCode[code];
  }
}

/** Turns anything thrown inside a handler into the one error shape; unknown errors never leak details. */
export function toErrorResponse(error: unknown): Response {
  const { status, body, retryAfterSeconds } = toErrorBody(error);
  const headers: HeadersInit = {};
  if (retryAfterSeconds !== undefined)
    headers["Retry-After"] = String(Math.max(1, Math.ceil(retryAfterSeconds)));
  return jsonResponse(body, { status, headers });
}

/**
 * The status and body toErrorResponse answers with, for answers that carry several outcomes in one response
 * (POST /api/outbox gives each message its own).
 */
export function toErrorBody(error: unknown): {
  status: number;
  body: ApiErrorBody;
  retryAfterSeconds?: number;
} {
  if (error instanceof ApiError) {
    const body: ApiErrorBody = { error: { code: error.code, message: error.message } };
    if (error.options.fields) body.error.fields = error.options.fields;
    return { status: error.status, body, retryAfterSeconds: error.options.retryAfterSeconds };
  }
  if (isDatabaseBusy(error)) {
    // Another writer held the database past the wait (SQLite's busy timeout, a full PostgreSQL pool): a moment
    // later the same request will do (a send's idempotency key makes its retry safe).
    log.warn({ err: error }, "database busy: request refused with 503");
    return toErrorBody(
      new ApiError("busy", "The server is busy right now. Try again in a moment.", { retryAfterSeconds: 1 }),
    );
  }
  log.error({ err: error }, "unhandled error in route handler");
  const body: ApiErrorBody = {
    error: {
      code: "internal_error",
      message: "Something went wrong on our side.",
      // The id of this request's log lines, for a bug report.
      requestId: requestContext.getStore()?.requestId,
    },
  };
  return { status: 500, body };
}
