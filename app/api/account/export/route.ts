// GET /api/account/export — everything the user owns as a zip (JSON + .eml files), streamed; rate limited.
import { withUser } from "@/lib/api/handler";
import { streamAccountExport } from "@/lib/account/export";
import { recordAuditEvent, requestMeta } from "@/lib/audit/events";
import { limits } from "@/lib/rate-limit/limits";

export const GET = withUser(async (req, { user }) => {
  await limits.export.consumeOrThrow(
    `user:${user.id}`,
    "You have exported your data recently. Try again later.",
  );
  const zip = await streamAccountExport(user.id);
  // Logged when it starts: a download cut short has still handed data over.
  await recordAuditEvent(user.id, "data_exported", requestMeta(req));
  const day = new Date().toISOString().slice(0, 10);
  return new Response(zip, {
    headers: {
      "Content-Type": "application/zip",
      "Content-Disposition": `attachment; filename="securevault-export-${day}.zip"`,
      "Cache-Control": "no-store",
    },
  });
});
