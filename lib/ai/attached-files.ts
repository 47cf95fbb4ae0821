// The message's attached files as material for the AI (Draft with AI and Rewrite with "Use the attached files"):
// text files are quoted into the prompt as data, capped; images go as image inputs only to a model that reads
// them. Pure functions here; reading the files from storage is in lib/ai/attached-files-load.ts.
import type { ChatCompletionContentPart } from "openai/resources/chat/completions";

export const AI_FILE_LIMITS = {
  /** Files of each kind passed at most; the rest are named as left out. */
  maxTextFiles: 5,
  maxImages: 4,
  /** Characters of one text file passed; the rest is cut with a note. */
  maxTextChars: 20_000,
  /** Bytes of one image passed (a larger one is left out). */
  maxImageBytes: 4 * 1024 * 1024,
} as const;

const IMAGE_TYPES = new Set(["image/png", "image/jpeg", "image/gif", "image/webp"]);
const TEXT_TYPES = new Set([
  "application/json",
  "application/csv",
  "application/x-ndjson",
  "application/xml",
  "application/x-yaml",
  "application/yaml",
]);
const TEXT_EXTENSIONS = /\.(txt|md|markdown|csv|tsv|json|log|xml|ya?ml|ics|vcf)$/i;

/** Whether the configured model reads images: "on"/"off" outright, "auto" by the model's name. */
export function modelReadsImages(model: string, setting: "auto" | "on" | "off"): boolean {
  if (setting !== "auto") return setting === "on";
  return /^(gpt-4o|gpt-4\.1|gpt-5|o3|o4|chatgpt-4o)/i.test(model.trim());
}

export type FileKind = "text" | "image" | "other";

export function fileKind(filename: string, contentType: string): FileKind {
  const type = contentType.split(";")[0]!.trim().toLowerCase();
  if (IMAGE_TYPES.has(type)) return "image";
  if (type.startsWith("text/") || TEXT_TYPES.has(type) || TEXT_EXTENSIONS.test(filename)) return "text";
  return "other";
}

export type AttachedFile = { filename: string; contentType: string; size: number; bytes: Uint8Array };

export type AttachedMaterial = {
  /** Quoted into the JSON data of the user message. */
  texts: { name: string; text: string; truncated: boolean }[];
  /** Image inputs (data: URLs) for the user message. */
  images: ChatCompletionContentPart[];
  /** Files not passed, with why (the model is told their names, the user sees nothing lost silently). */
  leftOut: { name: string; reason: string }[];
};

/** Sorts the files into quoted text, image inputs and the ones left out, applying the caps. */
export function buildAttachedMaterial(
  files: AttachedFile[],
  { vision }: { vision: boolean },
): AttachedMaterial {
  const out: AttachedMaterial = { texts: [], images: [], leftOut: [] };
  for (const file of files) {
    const kind = fileKind(file.filename, file.contentType);
    if (kind === "text") {
      if (out.texts.length >= AI_FILE_LIMITS.maxTextFiles) {
        out.leftOut.push({ name: file.filename, reason: "too many text files" });
        continue;
      }
      const decoded = new TextDecoder("utf-8", { fatal: false }).decode(file.bytes);
      if (decoded.includes("\u0000")) {
        out.leftOut.push({ name: file.filename, reason: "not readable as text" });
        continue;
      }
      const truncated = decoded.length > AI_FILE_LIMITS.maxTextChars || file.bytes.byteLength < file.size;
      out.texts.push({ name: file.filename, text: decoded.slice(0, AI_FILE_LIMITS.maxTextChars), truncated });
    } else if (kind === "image") {
      if (!vision) out.leftOut.push({ name: file.filename, reason: "this model cannot read images" });
      else if (file.size > AI_FILE_LIMITS.maxImageBytes || file.bytes.byteLength < file.size)
        out.leftOut.push({ name: file.filename, reason: "image too large" });
      else if (out.images.length >= AI_FILE_LIMITS.maxImages)
        out.leftOut.push({ name: file.filename, reason: "too many images" });
      else {
        const type = file.contentType.split(";")[0]!.trim().toLowerCase();
        const url = `data:${type};base64,${Buffer.from(file.bytes).toString("base64")}`;
        out.images.push({ type: "image_url", image_url: { url } });
      }
    } else {
      out.leftOut.push({ name: file.filename, reason: "not a text file or image" });
    }
  }
  return out;
}

/** How many bytes of a file are worth reading for the AI (the caps above, before decoding). */
export function bytesToRead(filename: string, contentType: string): number {
  const kind = fileKind(filename, contentType);
  if (kind === "text") return AI_FILE_LIMITS.maxTextChars * 4;
  if (kind === "image") return AI_FILE_LIMITS.maxImageBytes;
  return 0;
}

/** Images count as a fixed number of prompt tokens when the upstream does not report usage. */
export const IMAGE_TOKEN_ESTIMATE = 1000;
