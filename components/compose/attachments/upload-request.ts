"use client";
import { uploadUrl, type OutboxFile } from "@/lib/offline/attachment-files";

export type UploadOutcome =
  { ok: true; id: string; warning?: string } | { ok: false; retryLater: boolean; message: string };

/**
 * Uploads one file with XMLHttpRequest (fetch reports no upload progress), calling `onProgress` with 0…1.
 * `signal` cancels it: the server sees the request cut off and keeps nothing of it.
 */
export function uploadWithProgress(
  file: OutboxFile,
  onProgress: (fraction: number) => void,
  signal: AbortSignal,
): Promise<UploadOutcome> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve({ ok: false, retryLater: false, message: "Cancelled." });
    const xhr = new XMLHttpRequest();
    xhr.open("POST", uploadUrl(file));
    xhr.setRequestHeader("content-type", file.type || "application/octet-stream");
    xhr.responseType = "json";
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      const body = xhr.response as {
        attachment?: { id: string };
        warning?: string;
        error?: { message?: string };
      } | null;
      if (xhr.status >= 200 && xhr.status < 300 && body?.attachment) {
        resolve({ ok: true, id: body.attachment.id, warning: body.warning });
      } else {
        const retryLater = xhr.status === 0 || xhr.status === 401 || xhr.status === 429 || xhr.status >= 500;
        resolve({ ok: false, retryLater, message: body?.error?.message ?? `Upload failed (${xhr.status}).` });
      }
    };
    xhr.onerror = () =>
      resolve({
        ok: false,
        retryLater: true,
        message: "No connection: the file goes when the message does.",
      });
    xhr.onabort = () => resolve({ ok: false, retryLater: false, message: "Cancelled." });
    signal.addEventListener("abort", () => xhr.abort(), { once: true });
    xhr.send(file.blob);
  });
}
