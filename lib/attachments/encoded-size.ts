// Sizes as the message will have them on the wire, shared by Compose (what it shows) and the server (what it
// refuses): base64 turns every 3 bytes into 4 characters, in lines of 76 plus CRLF.

/** Bytes of `size` bytes once base64-encoded in 76-character lines (CRLF after each). */
export function base64Size(size: number): number {
  const chars = 4 * Math.ceil(size / 3);
  return chars + 2 * Math.ceil(chars / 76);
}

/** Room for one attachment's boundary line and part headers (type, disposition with an encoded name). */
export const PART_HEADER_BYTES = 400;

/** One attachment as it goes in the message: its encoded content and its part headers. */
export function attachmentWireSize(size: number): number {
  return base64Size(size) + PART_HEADER_BYTES;
}

/**
 * The message's size once encoded, estimated from the HTML body's bytes (sent twice: as HTML and as plain text,
 * each quoted-printable at worst about 1.4 times larger for mostly-Latin text) and the attachments'.
 */
export function estimatedMessageSize(htmlBytes: number, attachmentSizes: readonly number[]): number {
  const body = Math.ceil(htmlBytes * 1.4) * 2 + 4096;
  return attachmentSizes.reduce((sum, size) => sum + attachmentWireSize(size), body);
}

/** "4.2 MB", "830 KB", "12 bytes": sizes the way mail apps show them (1 MB = 1024 × 1024 bytes). */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1).replace(/\.0$/, "")} MB`;
}
