import "server-only";
import { ApiError } from "@/lib/api/errors";
import { readBytesWithLimit, validationError } from "@/lib/api/handler";
import { importCampaign } from "@/lib/campaigns/campaigns";
import { MAX_CSV_BYTES } from "@/lib/campaigns/csv-import";
import { campaignImportQuery } from "@/lib/validation/campaigns";

/** A CSV upload (the file itself as the body, ?name=…&emailColumn=…) made a draft campaign: the app's and v1's. */
export async function importCampaignFromRequest(userId: string, req: Request) {
  const type = req.headers.get("content-type") ?? "";
  if (!/^(text\/csv|text\/plain|application\/octet-stream)\b/i.test(type)) {
    throw new ApiError(
      "unsupported_media_type",
      "Send the CSV file itself as the request body (Content-Type: text/csv).",
    );
  }
  const query = campaignImportQuery.safeParse(Object.fromEntries(new URL(req.url).searchParams));
  if (!query.success) throw validationError(query.error);
  const csv = await readBytesWithLimit(req, MAX_CSV_BYTES);
  return importCampaign(userId, csv, query.data);
}
