// GET /api/health — liveness: answers as long as the process serves requests.
import { jsonResponse } from "@/lib/api/small-json";

export function GET(): Response {
  return jsonResponse({ status: "ok" });
}
