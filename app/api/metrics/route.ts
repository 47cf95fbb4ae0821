// GET /api/metrics — Prometheus text format; the bearer token when METRICS_TOKEN is set, else loopback only.
import { withErrors } from "@/lib/api/handler";
import { metricsResponse } from "@/lib/observability/metrics-endpoint";
import { clientAddressFrom } from "@/lib/security/client-address";

export const dynamic = "force-dynamic";

export const GET = withErrors(async (req) =>
  metricsResponse(
    req.headers.get("authorization"),
    clientAddressFrom((name) => req.headers.get(name)),
  ),
);
