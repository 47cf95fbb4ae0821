import "server-only";
import { convert } from "html-to-text";

/** The plain-text alternative sent beside the HTML part. */
export function htmlToPlainText(html: string): string {
  return convert(html, {
    wordwrap: 78,
    selectors: [
      { selector: "a", options: { hideLinkHrefIfSameAsText: true } },
      { selector: "img", format: "skip" },
    ],
  }).trim();
}

// Bulk sends repeat the same body: the conversion (the costliest step of building a message) is remembered
// for the most recent bodies.
const recent = new Map<string, string>();
const RECENT_LIMIT = 64;
const RECENT_MAX_HTML = 64 * 1024; // large bodies are rarely repeated, and would make the cache big

/** htmlToPlainText, remembering recent answers. */
export function plainTextOf(html: string): string {
  const known = recent.get(html);
  if (known !== undefined) return known;
  const text = htmlToPlainText(html);
  if (html.length > RECENT_MAX_HTML) return text;
  if (recent.size >= RECENT_LIMIT) recent.delete(recent.keys().next().value!);
  recent.set(html, text);
  return text;
}
