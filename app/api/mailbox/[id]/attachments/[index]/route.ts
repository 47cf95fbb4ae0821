// GET /api/mailbox/:id/attachments/:index — one file of a captured message, as a download (image preview on ?preview=1)
import { withUser } from "@/lib/api/handler";
import { attachmentDownloadHeaders } from "@/lib/attachments/download-headers";
import { getMailboxAttachmentOrThrow } from "@/lib/sandbox/mailbox";

export const GET = withUser<{ id: string; index: string }>(async (req, { user, params }) => {
  const file = await getMailboxAttachmentOrThrow(user.id, params.id, params.index);
  const preview = new URL(req.url).searchParams.get("preview") === "1";
  return new Response(new Uint8Array(file.content), {
    headers: attachmentDownloadHeaders(
      { filename: file.filename, contentType: file.contentType, size: file.content.length },
      preview,
    ),
  });
});
