import "server-only";
import { timingSafeEqual } from "node:crypto";
import { BlockList, isIPv4, isIPv6 } from "node:net";
import { env } from "@/lib/env";
import { metrics } from "@/lib/observability/metrics";

/**
 * The Prometheus scrape answer: behind the bearer token when METRICS_TOKEN is set; without one, only to clients
 * on this machine (`clientAddress` is null when unknown, which is refused). The metrics name routes, volumes and
 * timings: nothing a stranger should read.
 */
export async function metricsResponse(
  authorization: string | null,
  clientAddress: string | null,
): Promise<Response> {
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
  if (!env.METRICS_TOKEN && !(clientAddress && isLoopback(clientAddress))) {
    return Response.json(
      {
        error: {
          code: "forbidden",
          message:
            "Metrics are served to this machine only; set METRICS_TOKEN to scrape them from elsewhere.",
        },
      },
      { status: 403 },
    );
  }
  return new Response(await metrics.registry.metrics(), {
    headers: { "content-type": metrics.registry.contentType, "cache-control": "no-store" },
  });
}

/** Says at start who may read the metrics, so an open endpoint is never a surprise. */
export function describeMetricsAccess(path: string): string {
  return env.METRICS_TOKEN
    ? `${path} requires Authorization: Bearer <METRICS_TOKEN>`
    : `METRICS_TOKEN is not set: ${path} answers clients on this machine (loopback) only`;
}

const loopback = new BlockList();
loopback.addSubnet("127.0.0.0", 8, "ipv4");
loopback.addAddress("::1", "ipv6");

function isLoopback(address: string): boolean {
  const v4 = address.startsWith("::ffff:") ? address.slice(7) : address;
  if (isIPv4(v4)) return loopback.check(v4, "ipv4");
  return isIPv6(address) && loopback.check(address, "ipv6");
}

function bearerMatches(header: string | null, token: string): boolean {
  const given = Buffer.from(/^Bearer (.+)$/i.exec(header ?? "")?.[1] ?? "");
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
