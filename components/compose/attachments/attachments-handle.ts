import type { OutboxFile } from "@/lib/offline/attachment-files";

/**
 * What Compose asks of its attachment panel (which loads after the page, with the upload code): Compose holds
 * this handle, the panel fills it in. Types only, so Compose's first load does not grow.
 */
export type AttachmentsHandle = {
  add: (files: File[], options?: { inline?: boolean }) => void;
  /** Opens the file picker. */
  pick: () => void;
  /** Waits for uploads under way, then gives the files as they go with the message. */
  settle: () => Promise<OutboxFile[]>;
  /** The files as a draft keeps them. */
  snapshot: () => OutboxFile[];
  /** Files already on the server the message carries as they are (a forwarded message's). */
  serverIds: () => string[];
  /** The files' sizes as stored (for the size check). */
  sizes: () => number[];
};
