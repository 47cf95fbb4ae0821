// Files that go with a message on this device — in a draft, in Compose, in the outbox — and the one way they
// reach the server, shared by the page and the service worker. Each file's key is its upload's idempotency key
// (POST /api/attachments?key=…): uploading it again, after a dropped connection or in a replay, returns the file
// the server already has and stores nothing twice. A message is posted only once every file has its server id.
import type { ApiErrorBody } from "@/lib/api/error-body";

export type OutboxFile = {
  /** A UUID made when the file was added; the upload's idempotency key. */
  key: string;
  name: string;
  type: string;
  size: number;
  /** A pasted image: it goes inline, the body refers to it as cid:<key>@securevault. */
  inline: boolean;
  /** The bytes, kept on the device until the message has left it. */
  blob: Blob;
  /** The server's id once uploaded. */
  attachmentId?: string;
};

/** The Content-ID the server gives an inline image uploaded with this key (lib/attachments/attachments.ts). */
export const inlineContentId = (key: string) => `${key}@securevault`;

export class UploadRefusedError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly fields?: Record<string, string[]>,
  ) {
    super(message);
    this.name = "UploadRefusedError";
  }
}

export function uploadUrl(file: Pick<OutboxFile, "key" | "name" | "inline">): string {
  const query = new URLSearchParams({
    name: file.name,
    key: file.key,
    ...(file.inline ? { inline: "1" } : {}),
  });
  return `/api/attachments?${query}`;
}

/**
 * Uploads the files that have no server id yet, one after another, and returns them all with their ids. A
 * network failure or a 5xx/429 rejects with the fetch error / a plain Error (try again later); a refusal (4xx,
 * 401 included: signed out) with UploadRefusedError naming the file.
 */
export async function ensureUploaded(files: readonly OutboxFile[]): Promise<OutboxFile[]> {
  const done: OutboxFile[] = [];
  for (const file of files) {
    if (file.attachmentId) {
      done.push(file);
      continue;
    }
    const res = await fetch(uploadUrl(file), {
      method: "POST",
      headers: { "content-type": file.type || "application/octet-stream" },
      body: file.blob,
      credentials: "same-origin",
      cache: "no-store",
    });
    if (res.status === 429 || res.status >= 500) {
      throw new Error(`Uploading "${file.name}" was answered ${res.status}`);
    }
    const body = (await res.json().catch(() => null)) as
      ({ attachment?: { id: string } } & Partial<ApiErrorBody>) | null;
    if (!res.ok || !body?.attachment) {
      throw new UploadRefusedError(
        body?.error?.message ?? `"${file.name}" was refused (${res.status}).`,
        res.status,
        body?.error?.fields,
      );
    }
    done.push({ ...file, attachmentId: body.attachment.id });
  }
  return done;
}

/** What POST /api/messages takes for a message with these files: the ids, in order, never the bytes. */
export function requestBody<M extends { files?: OutboxFile[]; attachmentIds?: string[] }>(
  message: M,
): Omit<M, "files"> {
  const { files, ...rest } = message;
  if (!files?.length) return rest;
  return { ...rest, attachmentIds: [...files.map((f) => f.attachmentId!), ...(rest.attachmentIds ?? [])] };
}

/** The message's HTML with its inline images placed at the end, each referring to its part by cid:. */
export function htmlWithInlineImages(html: string, files: readonly OutboxFile[]): string {
  const images = files
    .filter((f) => f.inline && !html.includes(`cid:${inlineContentId(f.key)}`))
    .map((f) => `<p><img src="cid:${inlineContentId(f.key)}" alt="${escapeAttribute(f.name)}"></p>`);
  return images.length ? `${html}${images.join("")}` : html;
}

function escapeAttribute(text: string): string {
  return text.replace(/[&"<>]/g, (c) => `&#${c.charCodeAt(0)};`);
}
