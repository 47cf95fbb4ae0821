import { z } from "zod";

// What an upload says about its file (in the query string: the body is the file itself, streamed).

export const MAX_FILENAME_CHARS = 255;

// Control characters (C0, DEL, C1) and the bidirectional overrides that disguise an extension.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

export const attachmentFilename = z
  .string({ error: "Name the file." })
  .min(1, "Name the file.")
  .max(MAX_FILENAME_CHARS, `A file name has at most ${MAX_FILENAME_CHARS} characters.`)
  .refine((name) => !/[/\\]/.test(name), "A file name cannot contain a path (/ or \\).")
  .refine((name) => !CONTROL.test(name), "A file name cannot contain control characters.")
  .refine((name) => name.trim() !== "" && !/^\.+$/.test(name.trim()), "Name the file.");

export const uploadAttachmentQuery = z.object({
  name: attachmentFilename,
  key: z.uuid("key must be a UUID made by the client for this upload."),
  /** "1" for an image pasted into the body: it goes inline, referred to as cid:. */
  inline: z.enum(["0", "1"]).default("0"),
});
export type UploadAttachmentQuery = z.infer<typeof uploadAttachmentQuery>;

/** A media type as "type/subtype", without parameters; anything else is stored as application/octet-stream. */
export function cleanContentType(header: string | null): string {
  const type = (header ?? "").split(";")[0]!.trim().toLowerCase();
  return /^[a-z0-9][a-z0-9!#$&^_.+-]{0,63}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,127}$/.test(type)
    ? type
    : "application/octet-stream";
}

/** Extensions mail providers refuse or flag as programs; such files are taken with a warning. */
const EXECUTABLE_EXTENSIONS = new Set([
  "exe",
  "com",
  "bat",
  "cmd",
  "scr",
  "pif",
  "msi",
  "msp",
  "dll",
  "cpl",
  "jar",
  "js",
  "jse",
  "vbs",
  "vbe",
  "wsf",
  "wsh",
  "ps1",
  "psm1",
  "hta",
  "lnk",
  "reg",
  "sh",
  "app",
  "apk",
  "dmg",
  "iso",
]);

export function looksExecutable(filename: string, head: Uint8Array): boolean {
  const ext = filename.toLowerCase().split(".").pop() ?? "";
  if (filename.includes(".") && EXECUTABLE_EXTENSIONS.has(ext)) return true;
  const starts = (...bytes: number[]) => bytes.every((b, i) => head[i] === b);
  // MZ (Windows), ELF, Mach-O (both byte orders); "#!" scripts.
  return (
    starts(0x4d, 0x5a) ||
    starts(0x7f, 0x45, 0x4c, 0x46) ||
    starts(0xcf, 0xfa, 0xed, 0xfe) ||
    starts(0xfe, 0xed, 0xfa, 0xcf) ||
    starts(0x23, 0x21)
  );
}
