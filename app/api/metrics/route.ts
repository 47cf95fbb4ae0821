// GET /api/metrics — Prometheus text format; requires the bearer token when METRICS_TOKEN is set.
import { withErrors } from "@/lib/api/handler";
import { metricsResponse } from "@/lib/observability/metrics-endpoint";

export const dynamic = "force-dynamic";

export const GET = withErrors(async (req) => metricsResponse(req.headers.get("authorization")));
