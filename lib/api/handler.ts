import "server-only";
import { randomUUID } from "node:crypto";
import type { z } from "zod";
import { assertSameOrigin } from "@/lib/api/csrf";
import type { FieldErrors } from "@/lib/api/error-body";
import { ApiError, toErrorResponse } from "@/lib/api/errors";
import { withSmallJsonUncompressed } from "@/lib/api/small-json";
import { getSessionUser, type SessionUser } from "@/lib/auth/session";
import { log } from "@/lib/log/logger";
import { metrics, routeLabel } from "@/lib/observability/metrics";
import { acceptedRequestId, requestContext } from "@/lib/observability/request-context";

type RouteContext<P> = { params: Promise<P> };
type Handler<P, Extra> = (req: Request, ctx: { params: P } & Extra) => Promise<Response>;

/**
 * Wraps a public route handler: refuses cross-site writes, maps thrown errors to the one error shape, marks
 * small JSON answers to go out uncompressed (lib/api/small-json.ts), and observes the request — an id on every
 * log line it causes (echoed as X-Request-Id), its duration in the metrics, and one access-log line.
 */
export function withErrors<P = Record<string, string>>(handler: Handler<P, object>) {
  return async (req: Request, ctx: RouteContext<P>): Promise<Response> => {
    const started = performance.now();
    const requestId = acceptedRequestId(req.headers.get("x-request-id")) ?? randomUUID();
    return requestContext.run({ requestId }, async () => {
      let response: Response;
      try {
        assertSameOrigin(req);
        const params = await ctx.params;
        assertNoNul(req.url, params);
        response = await withSmallJsonUncompressed(await handler(req, { params }));
      } catch (error) {
        response = toErrorResponse(error);
      }
      observe(req, response, requestId, (performance.now() - started) / 1000);
      return response;
    });
  };
}

// No text in SecureVault holds a NUL character, and PostgreSQL refuses to store or compare one: a request that
// carries one (in its path, query or JSON body) is refused as a bad request instead of failing in the database.
function assertNoNul(url: string, params: unknown) {
  const inParams = Object.values((params ?? {}) as Record<string, unknown>).some(
    (v) => typeof v === "string" && v.includes("\u0000"),
  );
  if (inParams || /%00/.test(url)) {
    throw new ApiError("validation_failed", "The address contains a NUL character.");
  }
}

function containsNul(value: unknown, depth = 0): boolean {
  if (typeof value === "string") return value.includes("\u0000");
  if (depth > 64 || value === null || typeof value !== "object") return false;
  const items: unknown[] = Array.isArray(value) ? value : [...Object.keys(value), ...Object.values(value)];
  return items.some((v) => containsNul(v, depth + 1));
}

function observe(req: Request, response: Response, requestId: string, seconds: number) {
  const route = routeLabel(new URL(req.url).pathname);
  const status = response.status;
  metrics.httpDuration.observe({ route, method: req.method, status: String(status) }, seconds);
  try {
    response.headers.set("x-request-id", requestId);
  } catch {
    // Some responses (redirects) have immutable headers; the id is still on the log line.
  }
  const line = { method: req.method, route, status, ms: Math.round(seconds * 1000) };
  if (status >= 500) log.error(line, "request failed");
  else log.info(line, "request");
}

/** Wraps a route handler that needs a signed-in user: 401 JSON when there is none. */
export function withUser<P = Record<string, string>>(handler: Handler<P, { user: SessionUser }>) {
  return withErrors<P>(async (req, { params }) => {
    const user = await getSessionUser(req);
    if (!user) throw new ApiError("unauthorized", "Sign in to continue.");
    return handler(req, { params, user });
  });
}

const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/**
 * Reads a JSON body with a size cap and validates it: 415 for a non-JSON content type, 413 when too large,
 * 400 for malformed JSON or schema errors (with field errors).
 */
export async function parseBody<S extends z.ZodType>(
  req: Request,
  schema: S,
  { maxBytes = DEFAULT_MAX_BODY_BYTES }: { maxBytes?: number } = {},
): Promise<z.infer<S>> {
  const contentType = req.headers.get("content-type") ?? "";
  if (!/^application\/json\b/i.test(contentType)) {
    throw new ApiError("unsupported_media_type", "Send the request body as application/json.");
  }
  const raw = await readTextWithLimit(req, maxBytes);
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new ApiError("invalid_json", "The request body is not valid JSON.");
  }
  if (containsNul(json)) {
    throw new ApiError("validation_failed", "Text in the request contains a NUL character.");
  }
  const result = schema.safeParse(json);
  if (!result.success) throw validationError(result.error);
  return result.data;
}

export function validationError(error: z.ZodError): ApiError {
  const fields: FieldErrors = {};
  let tooLarge = false;
  for (const issue of error.issues) {
    const key = issue.path.length ? issue.path.join(".") : "_";
    (fields[key] ??= []).push(issue.message);
    if (issue.code === "custom" && (issue.params as { tooLarge?: boolean } | undefined)?.tooLarge)
      tooLarge = true;
  }
  if (tooLarge) return new ApiError("payload_too_large", "Part of the request is too large.", { fields });
  const first = Object.entries(fields)[0];
  const summary = first ? `${first[0] === "_" ? "Request" : first[0]}: ${first[1][0]}` : "Invalid request.";
  return new ApiError("validation_failed", summary, { fields });
}

async function readTextWithLimit(req: Request, maxBytes: number): Promise<string> {
  return (await readBytesWithLimit(req, maxBytes)).toString("utf8");
}

/**
 * Reads a request body, refusing with 413 as soon as it passes `maxBytes` — whether or not the client declared
 * its length (a chunked upload has none).
 */
export async function readBytesWithLimit(req: Request, maxBytes: number): Promise<Buffer> {
  const declared = Number(req.headers.get("content-length") ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLargeError(maxBytes);
  if (!req.body) return Buffer.alloc(0);
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    let chunk: ReadableStreamReadResult<Uint8Array>;
    try {
      chunk = await reader.read();
    } catch {
      throw new ApiError(
        "bad_request",
        "The request body could not be read; the connection was interrupted.",
      );
    }
    const { done, value } = chunk;
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw tooLargeError(maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

function tooLargeError(maxBytes: number) {
  const mb = (maxBytes / (1024 * 1024)).toFixed(1);
  return new ApiError("payload_too_large", `The request body is larger than ${mb} MB.`);
}
