import { requestContext } from "@/lib/observability/request-context";
import "server-only";
import { log } from "@/lib/log/logger";

export type ApiErrorCode =
  | "bad_request"
  | "invalid_json"
  | "validation_failed"
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "payload_too_large"
  | "unsupported_media_type"
  | "rate_limited"
  | "upstream_error"
  | "not_configured"
  | "upstream_timeout"
  | "internal_error";

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
  upstream_timeout: 504,
};

export type FieldErrors = Record<string, string[]>;

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

export type ApiErrorBody = {
  error: { code: ApiErrorCode; message: string; fields?: FieldErrors; requestId?: string };
};

/** Turns anything thrown inside a handler into the one error shape; unknown errors never leak details. */
export function toErrorResponse(error: unknown): Response {
  if (error instanceof ApiError) {
    const body: ApiErrorBody = { error: { code: error.code, message: error.message } };
    if (error.options.fields) body.error.fields = error.options.fields;
    const headers: HeadersInit = {};
    if (error.options.retryAfterSeconds !== undefined) {
      headers["Retry-After"] = String(Math.max(1, Math.ceil(error.options.retryAfterSeconds)));
    }
    return Response.json(body, { status: error.status, headers });
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
  return Response.json(body, { status: 500 });
}
