// GET /api/health — liveness: answers as long as the process serves requests.
export function GET(): Response {
  return Response.json({ status: "ok" });
}
