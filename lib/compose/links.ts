// What the editor's link dialog stores for what the user typed: web and email addresses only, so a link in a
// message can never run script (javascript:, data:) in the reader's mail client.

/** The link to store for what the user typed, or null when it is not a web or email address. */
export function normalizeLink(input: string): string | null {
  const text = input.trim();
  if (!text || /\s/.test(text)) return null;
  if (/^mailto:[^@]+@[^@]+$/i.test(text)) return text;
  if (/^[^@/:]+@[^@/:]+\.[^@/:]+$/.test(text)) return `mailto:${text}`;
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`;
  try {
    const url = new URL(withScheme);
    if (url.protocol !== "https:" && url.protocol !== "http:") return null;
    if (!url.hostname.includes(".") && url.hostname !== "localhost") return null;
    return withScheme;
  } catch {
    return null;
  }
}
