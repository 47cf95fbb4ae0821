import "server-only";
import { timingSafeEqual } from "node:crypto";
import { env } from "@/lib/env";
import { metrics } from "@/lib/observability/metrics";

/** The Prometheus scrape answer, behind the bearer token when one is configured. */
export async function metricsResponse(authorization: string | null): Promise<Response> {
  if (env.METRICS_TOKEN && !bearerMatches(authorization, env.METRICS_TOKEN)) {
    return Response.json(
      {
        error: {
          code: "unauthorized",
          message: "This endpoint needs Authorization: Bearer <METRICS_TOKEN>.",
        },
      },
      { status: 401, headers: { "www-authenticate": 'Bearer realm="metrics"' } },
    );
  }
  return new Response(await metrics.registry.metrics(), {
    headers: { "content-type": metrics.registry.contentType, "cache-control": "no-store" },
  });
}

function bearerMatches(header: string | null, token: string): boolean {
  const given = Buffer.from(/^Bearer (.+)$/i.exec(header ?? "")?.[1] ?? "");
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
