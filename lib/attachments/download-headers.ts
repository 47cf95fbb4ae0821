import type { Attachment } from "@/lib/generated/prisma/client";

/** Image types a browser shows safely in an <img> (never SVG: it can carry script). */
export const PREVIEWABLE_TYPES = new Set(["image/png", "image/jpeg", "image/gif", "image/webp"]);

/**
 * Headers for serving a stored file: always a download (Content-Disposition: attachment) with nosniff and a
 * sandboxing CSP, so a file can never run as a page of this origin; an image asked for as a preview is served
 * inline, and only for the raster types above.
 */
export function attachmentDownloadHeaders(
  attachment: Pick<Attachment, "filename" | "contentType" | "size">,
  preview: boolean,
): Headers {
  const inline = preview && PREVIEWABLE_TYPES.has(attachment.contentType);
  const ascii = attachment.filename.replace(/[^\x20-\x7e]|["\\]/g, "_");
  return new Headers({
    "Content-Type": inline ? attachment.contentType : "application/octet-stream",
    "Content-Length": String(attachment.size),
    "Content-Disposition": `${inline ? "inline" : "attachment"}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(attachment.filename)}`,
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; sandbox",
    "Cache-Control": "private, no-store",
  });
}
