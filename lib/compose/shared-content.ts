// Compose opened from the share sheet (manifest share_target): the shared text and link become the body.
/** The body for shared text and a shared link, escaped. */
export function sharedContentHtml(text: string | null, url: string | null): string {
  const escape = (s: string) =>
    s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  const parts: string[] = [];
  if (text) parts.push(`<p>${escape(text)}</p>`);
  if (url && /^https?:\/\//i.test(url)) parts.push(`<p><a href="${escape(url)}">${escape(url)}</a></p>`);
  return parts.join("");
}
