import "server-only";
import { createHash, randomUUID } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, rename, rm } from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";
import { env } from "@/lib/env";

// Where attachment bytes live, behind an interface another backend (an object store) can implement. A file is
// written whole or not at all: bytes go to a temporary name and are renamed into place only once complete.

export type StoredFile = { key: string; size: number; sha256: string };

export class FileTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`The file is larger than ${maxBytes} bytes`);
  }
}

export interface AttachmentStorage {
  /**
   * Stores the stream's bytes under a new key, refusing (FileTooLargeError) as soon as they pass `maxBytes`.
   * On any failure — too large, the stream broke, the client went away — nothing is left behind.
   */
  write(
    source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
    options: { maxBytes: number },
  ): Promise<StoredFile>;
  /** The stored bytes, read as a stream (never the whole file at once). */
  read(key: string, options?: { highWaterMark?: number }): Readable;
  /** Removes a file; a missing one is not an error. */
  remove(key: string): Promise<void>;
}

const KEY = /^[0-9a-f]{2}\/[0-9a-f-]{36}$/;

/** The filesystem under DATA_DIR/attachments, two hex characters of fan-out per directory. */
export function filesystemStorage(root: string): AttachmentStorage {
  const tmp = path.join(root, "tmp");
  const pathOf = (key: string) => {
    if (!KEY.test(key)) throw new Error(`Not an attachment storage key: ${JSON.stringify(key)}`);
    return path.join(root, key);
  };
  return {
    async write(source, { maxBytes }) {
      const id = randomUUID();
      const key = `${id.slice(0, 2)}/${id}`;
      await mkdir(tmp, { recursive: true, mode: 0o700 });
      const partial = path.join(tmp, id);
      const out = createWriteStream(partial, { mode: 0o600 });
      const hash = createHash("sha256");
      let size = 0;
      try {
        for await (const chunk of source) {
          size += chunk.byteLength;
          if (size > maxBytes) throw new FileTooLargeError(maxBytes);
          hash.update(chunk);
          if (!out.write(chunk))
            await new Promise<void>((resolve, reject) => {
              out.once("drain", resolve);
              out.once("error", reject);
            });
        }
        await new Promise<void>((resolve, reject) => {
          out.once("error", reject);
          out.end(resolve);
        });
        await mkdir(path.dirname(pathOf(key)), { recursive: true, mode: 0o700 });
        await rename(partial, pathOf(key));
        return { key, size, sha256: hash.digest("hex") };
      } catch (error) {
        // The file may still be being opened: wait until the stream has closed it, then remove it.
        if (!out.closed) await new Promise<void>((resolve) => out.once("close", () => resolve()).destroy());
        await rm(partial, { force: true });
        throw error;
      }
    },
    read(key, options) {
      return createReadStream(pathOf(key), { highWaterMark: options?.highWaterMark ?? 64 * 1024 });
    },
    async remove(key) {
      await rm(pathOf(key), { force: true });
    },
  };
}

let storage: AttachmentStorage | undefined;

/** The configured storage (the filesystem under DATA_DIR; another backend would be chosen here). */
export function attachmentStorage(): AttachmentStorage {
  return (storage ??= filesystemStorage(path.join(env.dataDir, "attachments")));
}
