// The one error shape every route answers with, { "error": { code, message, fields? } }. Built by
// lib/api/errors.ts on the server and read by the browser (lib/api/client.ts, the AI stream, the outbox replay):
// types only, so any side can import it.

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
  | "busy"
  | "upstream_timeout"
  | "internal_error";

/** Field name → what is wrong with it, in words for the user. */
export type FieldErrors = Record<string, string[]>;

export type ApiErrorBody = {
  error: { code: ApiErrorCode; message: string; fields?: FieldErrors; requestId?: string };
};
