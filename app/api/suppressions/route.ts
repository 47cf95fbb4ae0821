// GET /api/suppressions — addresses campaigns never send to (?format=csv to export); POST — add one by hand.
import { parseBody, withUser } from "@/lib/api/handler";
import { addSuppression, listSuppressions, suppressionsCsv } from "@/lib/campaigns/suppressions";
import { suppressionBody } from "@/lib/validation/campaigns";

export const GET = withUser(async (req, { user }) => {
  if (new URL(req.url).searchParams.get("format") === "csv") {
    return new Response(await suppressionsCsv(user.id), {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": 'attachment; filename="suppression-list.csv"',
        "cache-control": "no-store",
      },
    });
  }
  return Response.json({ suppressions: await listSuppressions(user.id, { limit: 1000 }) });
});

export const POST = withUser(async (req, { user }) => {
  const { email, detail } = await parseBody(req, suppressionBody);
  return Response.json({ suppression: await addSuppression(user.id, email, detail) }, { status: 201 });
});
