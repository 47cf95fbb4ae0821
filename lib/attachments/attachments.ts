import "server-only";
import { ApiError } from "@/lib/api/errors";
import { attachmentWireSize } from "@/lib/attachments/encoded-size";
import { attachmentStorage, FileTooLargeError } from "@/lib/attachments/storage";
import { db } from "@/lib/db/client";
import { isUniqueViolation } from "@/lib/db/errors";
import { newTimeOrderedId } from "@/lib/db/ids";
import { env } from "@/lib/env";
import type { Attachment } from "@/lib/generated/prisma/client";
import { log } from "@/lib/log/logger";
import { cleanContentType, looksExecutable, type UploadAttachmentQuery } from "@/lib/validation/attachments";

/** An attachment as the API shows it. */
export type AttachmentSummary = {
  id: string;
  filename: string;
  contentType: string;
  size: number;
  /** Its size in the message (base64 and part headers). */
  encodedSize: number;
  sha256: string;
  /** For an inline image: the HTML refers to it as cid:<contentId>. */
  contentId: string | null;
};

export function toAttachmentSummary(a: Attachment): AttachmentSummary {
  return {
    id: a.id,
    filename: a.filename,
    contentType: a.contentType,
    size: a.size,
    encodedSize: attachmentWireSize(a.size),
    sha256: a.sha256,
    contentId: a.contentId,
  };
}

export type UploadResult = { attachment: AttachmentSummary; warning?: string; replayed: boolean };

const MB = 1024 * 1024;

/**
 * Streams an upload into storage and records it. The client's key makes it safe to repeat (an offline replay,
 * a retry after a dropped connection): a key already used returns the stored file and reads nothing. A file
 * over the size limit, an empty one, or one whose connection broke leaves nothing behind.
 */
export async function uploadAttachment(
  userId: string,
  query: UploadAttachmentQuery,
  contentTypeHeader: string | null,
  body: ReadableStream<Uint8Array> | null,
): Promise<UploadResult> {
  const existing = await db.attachment.findUnique({
    where: { userId_uploadKey: { userId, uploadKey: query.key } },
  });
  if (existing) {
    await body?.cancel().catch(() => undefined);
    return {
      attachment: toAttachmentSummary(existing),
      replayed: true,
      ...warningFor(existing.filename, existing.executable),
    };
  }
  const maxBytes = Math.round(env.ATTACHMENT_MAX_MB * MB);
  const head = new Uint8Array(4);
  let headFilled = 0;
  async function* chunks(): AsyncIterable<Uint8Array> {
    if (!body) return;
    const reader = body.getReader();
    try {
      for (;;) {
        let next: ReadableStreamReadResult<Uint8Array>;
        try {
          next = await reader.read();
        } catch {
          throw new ApiError("bad_request", "The upload was interrupted before the whole file arrived.");
        }
        if (next.done) return;
        if (headFilled < head.length) {
          const take = next.value.subarray(0, head.length - headFilled);
          head.set(take, headFilled);
          headFilled += take.length;
        }
        yield next.value;
      }
    } finally {
      reader.releaseLock();
    }
  }
  const storage = attachmentStorage();
  let stored;
  try {
    stored = await storage.write(chunks(), { maxBytes });
  } catch (error) {
    await body?.cancel().catch(() => undefined);
    if (error instanceof FileTooLargeError) {
      throw new ApiError(
        "payload_too_large",
        `"${query.name}" is larger than ${env.ATTACHMENT_MAX_MB} MB, the largest file you can attach.`,
        { fields: { file: [`At most ${env.ATTACHMENT_MAX_MB} MB.`] } },
      );
    }
    throw error;
  }
  if (stored.size === 0) {
    await storage.remove(stored.key);
    throw new ApiError("validation_failed", `"${query.name}" is empty.`, {
      fields: { file: ["The file is empty."] },
    });
  }
  const contentType = cleanContentType(contentTypeHeader);
  const inline = query.inline === "1" && /^image\/(png|jpeg|gif|webp)$/.test(contentType);
  const id = newTimeOrderedId();
  const executable = looksExecutable(query.name, head.subarray(0, headFilled));
  try {
    const row = await db.attachment.create({
      data: {
        id,
        userId,
        uploadKey: query.key,
        filename: query.name.trim(),
        contentType,
        size: stored.size,
        sha256: stored.sha256,
        storageKey: stored.key,
        contentId: inline ? `${id}@securevault` : null,
        executable,
      },
    });
    return { attachment: toAttachmentSummary(row), replayed: false, ...warningFor(row.filename, executable) };
  } catch (error) {
    await storage.remove(stored.key);
    // Two uploads with one key at once: the other one stored it.
    if (isUniqueViolation(error)) {
      const winner = await db.attachment.findUnique({
        where: { userId_uploadKey: { userId, uploadKey: query.key } },
      });
      if (winner)
        return {
          attachment: toAttachmentSummary(winner),
          replayed: true,
          ...warningFor(winner.filename, winner.executable),
        };
    }
    throw error;
  }
}

function warningFor(filename: string, executable: boolean): { warning?: string } {
  return executable
    ? {
        warning: `"${filename}" looks like a program. Many mail servers refuse or quarantine programs; send a link or a zip archive instead if it does not arrive.`,
      }
    : {};
}

export async function getAttachmentOrThrow(userId: string, id: string): Promise<Attachment> {
  const row = await db.attachment.findFirst({ where: { id, userId } });
  if (!row) throw new ApiError("not_found", "Attachment not found.");
  return row;
}

/** Removes an upload no message uses yet (Remove in Compose); one a message uses stays with the message. */
export async function deleteUnusedAttachment(userId: string, id: string): Promise<void> {
  const row = await getAttachmentOrThrow(userId, id);
  const removed = await db.attachment.deleteMany({ where: { id: row.id, userId, messages: { none: {} } } });
  if (removed.count === 0) {
    throw new ApiError("conflict", "This file was already sent with a message and stays with it.");
  }
  await attachmentStorage().remove(row.storageKey);
}

/**
 * The attachments a new message names, in its order, each the user's own: unknown ids, too many files, or one
 * named twice are field errors on attachmentIds.
 */
export async function resolveAttachmentsOrThrow(
  userId: string,
  ids: readonly string[],
): Promise<Attachment[]> {
  if (ids.length === 0) return [];
  if (ids.length > env.ATTACHMENT_MAX_FILES) {
    throw new ApiError(
      "validation_failed",
      `A message can carry at most ${env.ATTACHMENT_MAX_FILES} files.`,
      {
        fields: {
          attachmentIds: [`At most ${env.ATTACHMENT_MAX_FILES} files; this message has ${ids.length}.`],
        },
      },
    );
  }
  if (new Set(ids).size !== ids.length) {
    throw new ApiError("validation_failed", "The same file is attached twice.", {
      fields: { attachmentIds: ["Each file once."] },
    });
  }
  const rows = await db.attachment.findMany({ where: { userId, id: { in: [...ids] } } });
  const byId = new Map(rows.map((r) => [r.id, r]));
  const missing = ids.filter((id) => !byId.has(id));
  if (missing.length) {
    throw new ApiError("validation_failed", "An attached file was not found; attach it again.", {
      fields: { attachmentIds: [`Not found: ${missing.join(", ")}`] },
    });
  }
  return ids.map((id) => byId.get(id)!);
}

/** The files of a message, in order (for the worker, the message page and the export). */
export async function attachmentsOfMessage(messageId: string): Promise<Attachment[]> {
  const links = await db.messageAttachment.findMany({
    where: { messageId },
    orderBy: { position: "asc" },
    include: { attachment: true },
  });
  return links.map((l) => l.attachment);
}

/**
 * Removes uploads no message uses that are older than ATTACHMENT_ORPHAN_HOURS (files attached to a draft that
 * was never sent, uploads cut short by a closed tab): their rows, then their bytes.
 */
export async function removeOrphanAttachments(now = new Date()): Promise<number> {
  const before = new Date(now.getTime() - env.ATTACHMENT_ORPHAN_HOURS * 3_600_000);
  const orphans = await db.attachment.findMany({
    where: { createdAt: { lt: before }, messages: { none: {} } },
    select: { id: true, storageKey: true },
    take: 500,
  });
  if (orphans.length === 0) return 0;
  // Only rows still unused at the moment of deletion go (a send may have linked one meanwhile).
  await db.attachment.deleteMany({ where: { id: { in: orphans.map((o) => o.id) }, messages: { none: {} } } });
  const left = new Set(
    (
      await db.attachment.findMany({ where: { id: { in: orphans.map((o) => o.id) } }, select: { id: true } })
    ).map((r) => r.id),
  );
  const storage = attachmentStorage();
  for (const orphan of orphans) if (!left.has(orphan.id)) await storage.remove(orphan.storageKey);
  if (orphans.length) log.info({ removed: orphans.length - left.size }, "removed unused attachments");
  return orphans.length - left.size;
}
