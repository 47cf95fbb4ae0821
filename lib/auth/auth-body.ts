import "server-only";
import { ApiError } from "@/lib/api/errors";
import { readBytesWithLimit } from "@/lib/api/handler";

/** Sign-in, sign-out and CSRF bodies are a few fields; nothing next-auth accepts comes near this. */
export const AUTH_BODY_MAX_BYTES = 16 * 1024;

export type AuthBody = { bytes: Uint8Array<ArrayBuffer>; fields: Record<string, unknown> | undefined };

/**
 * Reads a POST body for next-auth once, capped while reading (413), and resolves its fields exactly as
 * next-auth 4.24's route handler will from the same bytes (next-auth/next/utils.js getBody): a content type that
 * *contains* application/json is JSON, else one that contains x-www-form-urlencoded is a form whose last value
 * of a repeated field wins, else there are no fields. Rate limits keyed on these fields then count the very
 * email next-auth checks. Malformed JSON is a 400 here instead of a 500 inside next-auth.
 */
export async function readAuthBody(req: Request): Promise<AuthBody> {
  const bytes = new Uint8Array(await readBytesWithLimit(req, AUTH_BODY_MAX_BYTES));
  const contentType = req.headers.get("content-type") ?? "";
  let fields: unknown;
  if (contentType.includes("application/json")) {
    try {
      // Response#json decodes as Request#json does (a byte-order mark included).
      fields = await new Response(bytes).json();
    } catch {
      throw new ApiError("invalid_json", "The request body is not valid JSON.");
    }
  } else if (contentType.includes("application/x-www-form-urlencoded")) {
    fields = Object.fromEntries(new URLSearchParams(await new Response(bytes).text()));
  }
  return { bytes, fields: isRecord(fields) ? fields : undefined };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
