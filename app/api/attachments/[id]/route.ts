// GET /api/attachments/:id — download one of the user's files (?info=1: its name, type and size as JSON); DELETE — remove an upload no message uses yet
import { Readable } from "node:stream";
import { withUser } from "@/lib/api/handler";
import {
  deleteUnusedAttachment,
  getAttachmentOrThrow,
  toAttachmentSummary,
} from "@/lib/attachments/attachments";
import { attachmentStorage } from "@/lib/attachments/storage";
import { attachmentDownloadHeaders } from "@/lib/attachments/download-headers";

export const GET = withUser<{ id: string }>(async (req, { params, user }) => {
  const attachment = await getAttachmentOrThrow(user.id, params.id);
  const query = new URL(req.url).searchParams;
  if (query.get("info") === "1") return Response.json({ attachment: toAttachmentSummary(attachment) });
  const preview = query.get("preview") === "1";
  const stream = Readable.toWeb(
    attachmentStorage().read(attachment.storageKey),
  ) as ReadableStream<Uint8Array>;
  return new Response(stream, { headers: attachmentDownloadHeaders(attachment, preview) });
});

export const DELETE = withUser<{ id: string }>(async (_req, { params, user }) => {
  await deleteUnusedAttachment(user.id, params.id);
  return new Response(null, { status: 204 });
});
