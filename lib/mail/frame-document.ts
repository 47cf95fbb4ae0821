// The document mail HTML is shown in (components/ui/safe-html-frame.tsx). Shared with the page CSP
// (lib/security/csp.ts): a srcdoc frame inherits the page's policy, which allows exactly this <style> by hash.

/** The frame's own policy on top: no scripts, no remote loads (tracking pixels) — only inline and data: images. */
export const FRAME_CSP = "default-src 'none'; img-src data: cid:; style-src 'unsafe-inline'; font-src data:";

export const FRAME_CSS =
  'body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;font-size:15px;line-height:1.5;margin:12px;color:#1f2937;word-wrap:break-word}blockquote{border-left:3px solid #d1d5db;margin-left:0;padding-left:12px;color:#4b5563}pre{white-space:pre-wrap}img{max-width:100%}';

export function frameDocument(html: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${FRAME_CSP}"><base target="_blank"><style>${FRAME_CSS}</style></head><body>${html}</body></html>`;
}
