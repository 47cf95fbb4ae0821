// GET /api/ready — readiness: database reachable, migrations applied, delivery worker alive, sandbox mailbox
// up (when enabled). 200 when all pass, 503 otherwise; each check says why.
import { withErrors } from "@/lib/api/handler";
import { checkReadiness } from "@/lib/observability/readiness";

export const dynamic = "force-dynamic";

export const GET = withErrors(async () => {
  const readiness = await checkReadiness();
  return Response.json(readiness, {
    status: readiness.status === "ready" ? 200 : 503,
    headers: { "cache-control": "no-store" },
  });
});
