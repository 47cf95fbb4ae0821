"use client";
import { useState, type ClipboardEvent, type DragEvent } from "react";

/**
 * Handlers that make an element (Compose) take files dropped on it or pasted into it: pasted images go inline,
 * other files as attachments. Paste is taken in the capture phase, before the editor sees it, and only when the
 * clipboard holds files (text pastes stay the editor's).
 */
export function useFileDrop(add: (files: File[], options?: { inline?: boolean }) => void) {
  const [dragging, setDragging] = useState(false);
  const hasFiles = (e: DragEvent) => [...e.dataTransfer.types].includes("Files");
  return {
    dragging,
    handlers: {
      onDragOverCapture(e: DragEvent) {
        if (!hasFiles(e)) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = "copy";
        setDragging(true);
      },
      onDragLeave(e: DragEvent) {
        if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setDragging(false);
      },
      onDropCapture(e: DragEvent) {
        if (!hasFiles(e)) return;
        e.preventDefault();
        e.stopPropagation();
        setDragging(false);
        if (e.dataTransfer.files.length) add([...e.dataTransfer.files]);
      },
      onPasteCapture(e: ClipboardEvent) {
        const files = [...e.clipboardData.files];
        if (files.length === 0) return;
        e.preventDefault();
        e.stopPropagation();
        const images = files.filter((f) => f.type.startsWith("image/"));
        const others = files.filter((f) => !f.type.startsWith("image/"));
        if (images.length) add(images, { inline: true });
        if (others.length) add(others);
      },
    },
  };
}
