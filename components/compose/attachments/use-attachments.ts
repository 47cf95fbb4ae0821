"use client";
import { useCallback, useEffect, useRef, useState } from "react";
import type { OutboxFile } from "@/lib/offline/attachment-files";

// Compose's files: each uploads as soon as it is added (when online), shows its progress, and can be removed —
// cancelling its upload, or deleting the uploaded copy no message uses yet. Files that could not upload (offline)
// stay on the device and go with the message (lib/offline/attachment-files.ts).

export type ComposeFile = OutboxFile & {
  status: "uploading" | "uploaded" | "waiting" | "failed";
  /** 0…1 while uploading. */
  progress: number;
  warning?: string;
  error?: string;
};

export function useAttachments({ onChange }: { onChange: () => void }) {
  const [files, setFiles] = useState<ComposeFile[]>([]);
  // Files already on the server that this message carries as they are (a forwarded message's, an undone send's).
  const [serverIds, setServerIds] = useState<string[]>([]);
  const uploads = useRef(new Map<string, { controller: AbortController; done: Promise<void> }>());
  const latest = useRef(files);
  const changed = useRef(onChange);
  useEffect(() => {
    latest.current = files;
    changed.current = onChange;
  });

  const update = useCallback((key: string, patch: Partial<ComposeFile>) => {
    setFiles((list) => list.map((f) => (f.key === key ? { ...f, ...patch } : f)));
  }, []);

  const startUpload = useCallback(
    (file: ComposeFile) => {
      const controller = new AbortController();
      // The upload code loads with the first file, not with Compose.
      const done = import("@/components/compose/attachments/upload-request")
        .then(({ uploadWithProgress }) =>
          uploadWithProgress(file, (progress) => update(file.key, { progress }), controller.signal),
        )
        .then((outcome) => {
          uploads.current.delete(file.key);
          if (controller.signal.aborted) return;
          if (outcome.ok)
            update(file.key, {
              status: "uploaded",
              attachmentId: outcome.id,
              progress: 1,
              warning: outcome.warning,
            });
          else if (outcome.retryLater) update(file.key, { status: "waiting", progress: 0 });
          else update(file.key, { status: "failed", error: outcome.message });
          changed.current();
        });
      uploads.current.set(file.key, { controller, done });
    },
    [update],
  );

  const add = useCallback(
    (list: readonly File[], { inline = false }: { inline?: boolean } = {}) => {
      const added: ComposeFile[] = list.map((f) => ({
        key: crypto.randomUUID(),
        name:
          f.name ||
          (f.type.startsWith("image/") ? `pasted-image.${f.type.slice(6).replace("jpeg", "jpg")}` : "file"),
        type: f.type || "application/octet-stream",
        size: f.size,
        inline: inline && f.type.startsWith("image/"),
        blob: f,
        status: navigator.onLine ? "uploading" : "waiting",
        progress: 0,
      }));
      setFiles((current) => [...current, ...added]);
      for (const file of added) if (file.status === "uploading") startUpload(file);
      changed.current();
    },
    [startUpload],
  );

  const remove = useCallback((key: string) => {
    const running = uploads.current.get(key);
    if (running) {
      running.controller.abort();
      uploads.current.delete(key);
    }
    const file = latest.current.find((f) => f.key === key);
    // An upload that finished is still unused: remove the server's copy too (else it expires on its own).
    if (file?.attachmentId)
      void fetch(`/api/attachments/${file.attachmentId}`, { method: "DELETE" }).catch(() => undefined);
    setFiles((list) => list.filter((f) => f.key !== key));
    changed.current();
  }, []);

  /** Waits for uploads under way, then gives the files as they go with the message. */
  const settle = useCallback(async (): Promise<OutboxFile[]> => {
    await Promise.all([...uploads.current.values()].map((u) => u.done));
    return latest.current.filter((f) => f.status !== "failed").map(toOutboxFile);
  }, []);

  /** The files as a draft keeps them (bytes included, so they survive a reload). */
  const snapshot = useCallback(
    () => latest.current.filter((f) => f.status !== "failed").map(toOutboxFile),
    [],
  );

  /** Opens a draft's files; those not uploaded yet start uploading when online. */
  const restore = useCallback(
    (saved: readonly OutboxFile[] = [], ids: readonly string[] = []) => {
      for (const u of uploads.current.values()) u.controller.abort();
      uploads.current.clear();
      const list: ComposeFile[] = saved.map((f) => ({
        ...f,
        status: f.attachmentId ? "uploaded" : navigator.onLine ? "uploading" : "waiting",
        progress: f.attachmentId ? 1 : 0,
      }));
      setFiles(list);
      setServerIds([...ids]);
      for (const file of list) if (file.status === "uploading") startUpload(file);
    },
    [startUpload],
  );

  // Back online: files that waited upload now.
  useEffect(() => {
    const online = () => {
      for (const file of latest.current) {
        if (file.status === "waiting" && !uploads.current.has(file.key)) {
          update(file.key, { status: "uploading" });
          startUpload({ ...file, status: "uploading" });
        }
      }
    };
    window.addEventListener("online", online);
    return () => window.removeEventListener("online", online);
  }, [startUpload, update]);

  const removeServerId = useCallback((id: string) => {
    setServerIds((ids) => ids.filter((i) => i !== id));
    changed.current();
  }, []);

  return { files, serverIds, add, remove, settle, snapshot, restore, removeServerId };
}

function toOutboxFile({ key, name, type, size, inline, blob, attachmentId }: ComposeFile): OutboxFile {
  return { key, name, type, size, inline, blob, ...(attachmentId ? { attachmentId } : {}) };
}
