import "server-only";
import { ApiError, toErrorResponse } from "@/lib/api/errors";
import { withErrors } from "@/lib/api/handler";
import { assertScope, authenticateApiKeyOrThrow, type ApiKeyPrincipal } from "@/lib/api-keys/keys";
import type { ApiKeyScope } from "@/lib/api-keys/scopes";
import { env } from "@/lib/env";
import { limits } from "@/lib/rate-limit/limits";

type Handler<P> = (req: Request, ctx: { params: P; principal: ApiKeyPrincipal }) => Promise<Response>;

/** The policy's name in the RateLimit headers (draft-ietf-httpapi-ratelimit-headers). */
const POLICY = "per-key";

/**
 * Wraps a /api/v1 handler: the Bearer key is checked (401), the scope (403), then the key's rate limit, whose
 * standing every answer reports — `RateLimit-Policy: "per-key";q=120;w=60` and `RateLimit: "per-key";r=119;t=42`
 * — with Retry-After on a 429. Errors keep the app's one shape.
 */
export function withApiKey<P = Record<string, string>>(scope: ApiKeyScope, handler: Handler<P>) {
  return withErrors<P>(async (req, { params }) => {
    const principal = await authenticateApiKeyOrThrow(req.headers.get("authorization"));
    assertScope(principal, scope);
    const standing = await limits.apiKey.consume(`key:${principal.keyId}`);
    let response: Response;
    if (!standing.allowed) {
      response = toErrorResponse(
        new ApiError(
          "rate_limited",
          `This key made more than ${env.API_RATE_LIMIT_PER_MIN} requests this minute.`,
          {
            retryAfterSeconds: standing.retryAfterSeconds,
          },
        ),
      );
    } else {
      try {
        response = await handler(req, { params, principal });
      } catch (error) {
        response = toErrorResponse(error);
      }
    }
    response.headers.set("RateLimit-Policy", `"${POLICY}";q=${env.API_RATE_LIMIT_PER_MIN};w=60`);
    response.headers.set("RateLimit", `"${POLICY}";r=${standing.remaining};t=${standing.retryAfterSeconds}`);
    return response;
  });
}
