import "server-only";

// Next.js compresses responses (`compress`, on by default) with the `compression` middleware. That middleware
// skips bodies under 1 KB only when it knows their length, and Next.js hands it every route's answer as a stream
// without one, so every JSON answer was gzipped — `{"status":"ok"}` included. Measured on GET /api/health and
// GET /api/account (sequential requests, warm server): 3.4–4.8 ms with gzip, 2.1–3.3 ms without, for bodies that
// gzip does not make smaller. A small JSON answer therefore says `Cache-Control: no-transform`, which the
// middleware honours (as must any proxy: RFC 9111 §5.2.2.6); larger ones (lists, documents) are still compressed.
// Checked against the `compression` middleware bundled in next 16.4.6 (tests/e2e/api-compression.spec.ts).
export const SMALL_BODY_BYTES = 1024;

/** A JSON answer, as Response.json gives it, marked to go out uncompressed when it is small. */
export function jsonResponse(data: unknown, init: ResponseInit = {}): Response {
  const body = JSON.stringify(data);
  const headers = new Headers(init.headers);
  headers.set("content-type", "application/json");
  if (Buffer.byteLength(body, "utf8") < SMALL_BODY_BYTES) addNoTransform(headers);
  return new Response(body, { ...init, headers });
}

/**
 * The same response marked to go out uncompressed, when it is a small JSON body built whole in memory
 * (Response.json: every JSON answer of the API; no route streams JSON). Anything else — event streams,
 * downloads, redirects, larger JSON, an answer already marked — is returned as it is.
 */
export async function withSmallJsonUncompressed(response: Response): Promise<Response> {
  const type = response.headers.get("content-type") ?? "";
  if (!response.body || !/^application\/json\b/i.test(type) || hasNoTransform(response.headers))
    return response;
  const body = await response.arrayBuffer();
  const headers = new Headers(response.headers);
  if (body.byteLength < SMALL_BODY_BYTES) addNoTransform(headers);
  return new Response(body, { status: response.status, statusText: response.statusText, headers });
}

// Already marked (jsonResponse, the error answers, an SSE stream): nothing to read or add.
function hasNoTransform(headers: Headers): boolean {
  return /\bno-transform\b/i.test(headers.get("cache-control") ?? "");
}

function addNoTransform(headers: Headers) {
  const cacheControl = headers.get("cache-control");
  if (!cacheControl) headers.set("cache-control", "no-transform");
  else if (!hasNoTransform(headers)) headers.set("cache-control", `${cacheControl}, no-transform`);
}
