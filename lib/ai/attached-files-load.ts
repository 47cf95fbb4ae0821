import "server-only";
import {
  buildAttachedMaterial,
  bytesToRead,
  modelReadsImages,
  type AttachedFile,
  type AttachedMaterial,
} from "@/lib/ai/attached-files";
import { getAttachmentOrThrow } from "@/lib/attachments/attachments";
import { attachmentStorage } from "@/lib/attachments/storage";
import { env } from "@/lib/env";

/** Whether the configured model is sent images. */
export function aiReadsImages(): boolean {
  return modelReadsImages(env.OPENAI_MODEL, env.OPENAI_VISION);
}

/** Reads at most `limit` bytes of a stored file (the stream is stopped there, never read whole). */
async function readPrefix(storageKey: string, limit: number): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let total = 0;
  const stream = attachmentStorage().read(storageKey);
  try {
    for await (const chunk of stream) {
      const buf = chunk as Buffer;
      chunks.push(buf);
      total += buf.byteLength;
      if (total >= limit) break;
    }
  } finally {
    stream.destroy();
  }
  return new Uint8Array(Buffer.concat(chunks).subarray(0, limit));
}

/**
 * The user's attached files by id as AI material. Each id must be the user's own (another user's, or an unknown
 * one, is 404 like every attachment route); unreadable kinds are not read at all.
 */
export async function loadAttachedMaterial(
  userId: string,
  ids: readonly string[],
): Promise<AttachedMaterial> {
  const vision = aiReadsImages();
  const files: AttachedFile[] = [];
  for (const id of new Set(ids)) {
    const row = await getAttachmentOrThrow(userId, id);
    const limit = bytesToRead(row.filename, row.contentType);
    // An image the model will not get, or one over the cap, is left out without reading its bytes.
    const skip =
      limit === 0 || (limit > 0 && row.contentType.startsWith("image/") && (!vision || row.size > limit));
    files.push({
      filename: row.filename,
      contentType: row.contentType,
      size: row.size,
      bytes: skip ? new Uint8Array(0) : await readPrefix(row.storageKey, Math.min(limit, row.size)),
    });
  }
  return buildAttachedMaterial(files, { vision });
}
