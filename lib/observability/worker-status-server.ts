import "server-only";
import http from "node:http";
import { log } from "@/lib/log/logger";
import { describeMetricsAccess, metricsResponse } from "@/lib/observability/metrics-endpoint";
import { checkReadiness } from "@/lib/observability/readiness";

/**
 * The standalone worker's own small HTTP server: /metrics for Prometheus (its deliveries and SMTP timings are
 * counted in this process), /health and /ready for probes.
 */
export function startWorkerStatusServer(port: number): http.Server {
  const server = http.createServer((req, res) => {
    void answer(req)
      .then(async (response) => {
        res.writeHead(response.status, Object.fromEntries(response.headers));
        res.end(Buffer.from(await response.arrayBuffer()));
      })
      .catch((error) => {
        log.error({ err: error }, "worker status request failed");
        res.writeHead(500).end();
      });
  });
  server.listen(port, () =>
    log.info({ port }, `worker metrics and health listening; ${describeMetricsAccess("/metrics")}`),
  );
  server.on("error", (error) => log.error({ err: error, port }, "worker status server failed"));
  return server;
}

async function answer(req: http.IncomingMessage): Promise<Response> {
  const path = new URL(req.url ?? "/", "http://worker").pathname;
  if (req.method !== "GET") return new Response(null, { status: 405 });
  // This server is no proxy's backend: the socket's address is the client's.
  if (path === "/metrics") {
    return metricsResponse(req.headers.authorization ?? null, req.socket.remoteAddress ?? null);
  }
  if (path === "/health") return Response.json({ status: "ok" });
  if (path === "/ready") {
    const readiness = await checkReadiness({ sandbox: false });
    return Response.json(readiness, { status: readiness.status === "ready" ? 200 : 503 });
  }
  return new Response(null, { status: 404 });
}
