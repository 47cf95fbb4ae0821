import "server-only";
import { simpleParser } from "mailparser";
import { ApiError } from "@/lib/api/errors";
import { toAttachmentSummary, type AttachmentSummary } from "@/lib/attachments/attachments";
import { attachmentStorage, FileTooLargeError } from "@/lib/attachments/storage";
import { db } from "@/lib/db/client";
import { isUniqueViolation } from "@/lib/db/errors";
import { newTimeOrderedId } from "@/lib/db/ids";
import { env } from "@/lib/env";
import { cleanContentType, looksExecutable } from "@/lib/validation/attachments";

// Forward of a captured Mailbox message: its files become the user's own attachments, so the forward carries
// them like any other file. Each file's upload key names the message and the file's place in it, so copying the
// same message again (a second Forward, a retry) returns the rows already stored and stores nothing twice.

const MB = 1024 * 1024;

/** The upload key of the `index`-th file of a Mailbox message (never a UUID, so never a client's key). */
export const mailboxUploadKey = (mailId: string, index: number) => `mailbox:${mailId}:${index}`;

/** The files of the user's Mailbox message `mailId`, as attachments (in the message's order; empty files left out). */
export async function copyMailboxAttachmentsOrThrow(
  userId: string,
  mailId: string,
): Promise<AttachmentSummary[]> {
  const row = await db.sandboxMail.findFirst({ where: { id: mailId, userId }, select: { raw: true } });
  if (!row) throw new ApiError("not_found", "Message not found in your Mailbox.");
  const parsed = await simpleParser(Buffer.from(row.raw), { skipHtmlToText: true, skipTextToHtml: true });
  const maxBytes = Math.round(env.ATTACHMENT_MAX_MB * MB);
  const files = parsed.attachments
    .map((file, index) => ({ file, index, filename: (file.filename ?? "attachment").trim() || "attachment" }))
    .filter(({ file }) => file.content.length > 0);
  // Every file is checked before any is stored: a refused forward leaves nothing behind.
  const tooLarge = files.find(({ file }) => file.content.length > maxBytes);
  if (tooLarge) {
    throw new ApiError(
      "payload_too_large",
      `"${tooLarge.filename}" is larger than ${env.ATTACHMENT_MAX_MB} MB, the largest file you can attach.`,
      { fields: { attachments: [`At most ${env.ATTACHMENT_MAX_MB} MB per file.`] } },
    );
  }
  const out: AttachmentSummary[] = [];
  for (const { file, index, filename } of files) {
    const uploadKey = mailboxUploadKey(mailId, index);
    const existing = await db.attachment.findUnique({ where: { userId_uploadKey: { userId, uploadKey } } });
    if (existing) {
      out.push(toAttachmentSummary(existing));
      continue;
    }
    out.push(
      toAttachmentSummary(
        await storeCopy(userId, uploadKey, maxBytes, {
          filename,
          contentType: cleanContentType(file.contentType),
          content: file.content,
          // An image the HTML shows (cid:) keeps its Content-ID, so the forwarded HTML still finds it.
          contentId: file.related && file.cid ? file.cid : null,
        }),
      ),
    );
  }
  return out;
}

async function storeCopy(
  userId: string,
  uploadKey: string,
  maxBytes: number,
  file: { filename: string; contentType: string; content: Buffer; contentId: string | null },
) {
  const storage = attachmentStorage();
  let stored;
  try {
    stored = await storage.write([new Uint8Array(file.content)], { maxBytes });
  } catch (error) {
    if (error instanceof FileTooLargeError)
      throw new ApiError("payload_too_large", `"${file.filename}" is too large to attach.`);
    throw error;
  }
  try {
    return await db.attachment.create({
      data: {
        id: newTimeOrderedId(),
        userId,
        uploadKey,
        filename: file.filename,
        contentType: file.contentType,
        size: stored.size,
        sha256: stored.sha256,
        storageKey: stored.key,
        contentId: file.contentId,
        executable: looksExecutable(file.filename, file.content.subarray(0, 4)),
      },
    });
  } catch (error) {
    await storage.remove(stored.key);
    // Two copies of one message at once: the other one stored this file.
    if (isUniqueViolation(error)) {
      const winner = await db.attachment.findUnique({ where: { userId_uploadKey: { userId, uploadKey } } });
      if (winner) return winner;
    }
    throw error;
  }
}
