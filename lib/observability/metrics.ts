import "server-only";
import client from "prom-client";
import { db } from "@/lib/db/client";
import { processSingleton } from "@/lib/server/singleton";

// Prometheus metrics for this process. One per process: Next.js may load this module more than once (route
// handlers, instrumentation), and every copy must count into the same registry.

function createMetrics() {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });
  const registers = [registry];

  return {
    registry,
    httpDuration: new client.Histogram({
      name: "http_request_duration_seconds",
      help: "API request duration by route pattern, method and status",
      labelNames: ["route", "method", "status"] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    outbox: new client.Gauge({
      name: "securevault_outbox_messages",
      help: "Messages in the outbox by state (read from the database at scrape time)",
      labelNames: ["state"] as const,
      registers,
      async collect() {
        const rows = await db.message.groupBy({ by: ["status"], _count: { _all: true } });
        this.reset();
        for (const state of ["queued", "sending", "sent", "partial", "failed", "cancelled"])
          this.set({ state }, 0);
        for (const row of rows) this.set({ state: row.status }, row._count._all);
      },
    }),
    deliveries: new client.Counter({
      name: "securevault_deliveries_total",
      help: "Delivery attempts by outcome: delivered, failed (for good) or retrying",
      labelNames: ["outcome"] as const,
      registers,
    }),
    recipientOutcomes: new client.Counter({
      name: "securevault_recipient_outcomes_total",
      help: "Recipients by the outcome of a delivery attempt: accepted, deferred (4xx), refused (5xx) or unknown",
      labelNames: ["outcome"] as const,
      registers,
    }),
    smtpSendDuration: new client.Histogram({
      name: "securevault_smtp_send_duration_seconds",
      help: "Time for one message's SMTP transaction, connection included when a new one was needed",
      labelNames: ["result"] as const,
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    }),
    push: new client.Counter({
      name: "securevault_push_total",
      help: "Web Push sends by result",
      labelNames: ["result"] as const,
      registers,
    }),
    aiRequests: new client.Counter({
      name: "securevault_ai_requests_total",
      help: "AI assistant requests by feature and outcome",
      labelNames: ["feature", "outcome"] as const,
      registers,
    }),
    aiTokens: new client.Counter({
      name: "securevault_ai_tokens_total",
      help: "AI tokens used, by kind",
      labelNames: ["kind"] as const,
      registers,
    }),
    aiDuration: new client.Histogram({
      name: "securevault_ai_duration_seconds",
      help: "AI request duration by feature, to the last streamed token",
      labelNames: ["feature"] as const,
      buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers,
    }),
  };
}

type Metrics = ReturnType<typeof createMetrics>;
export const metrics: Metrics = processSingleton("metrics", createMetrics);

/**
 * The route pattern for a request path, so labels stay few: ids become ":id" (UUIDs, cuids and other long
 * tokens), everything else is kept.
 */
export function routeLabel(pathname: string): string {
  return pathname
    .split("/")
    .map((segment) => (/^[A-Za-z0-9_-]{16,}$/.test(segment) || /^\d+$/.test(segment) ? ":id" : segment))
    .join("/");
}
