// GET /api/campaigns/:id/results — every recipient's result as a CSV download.
import { withUser } from "@/lib/api/handler";
import { recipientResultsCsv } from "@/lib/campaigns/results";

export const GET = withUser<{ id: string }>(async (_req, { user, params }) => {
  const csv = await recipientResultsCsv(user.id, params.id);
  return new Response(csv, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="campaign-${params.id}-results.csv"`,
      "cache-control": "no-store",
    },
  });
});
