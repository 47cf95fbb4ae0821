// How deeply HTML nests, measured before anything parses it. The parsers and converters a message goes
// through (sanitize-html, html-to-text, a mail client's renderer) walk the element tree, some of them
// recursively: a body of 20,000 nested <div>s overflowed html-to-text's stack. No real message comes near the
// limit (a heavily nested newsletter layout is a few dozen levels).

import { rememberRecent } from "@/lib/cache/recent-results";

/** The deepest nesting of elements a message's HTML may have. */
export const MAX_HTML_DEPTH = 256;

// Elements that never have content, so they open no level.
const VOID = new Set([
  "area",
  "base",
  "br",
  "col",
  "embed",
  "hr",
  "img",
  "input",
  "link",
  "meta",
  "param",
  "source",
  "track",
  "wbr",
]);
// A tag (opening or closing) with its name; comments and doctypes do not match, as a parser would skip them.
// No part of a tag runs past the next "<", so a tag left unfinished costs a scan to there, not to the end.
const TAG = /<(\/?)([a-zA-Z][a-zA-Z0-9-]*)(?:[^<>"']|"[^<"]*"|'[^<']*')*?(\/?)>/g;

/**
 * True when elements in `html` nest deeper than `limit` (MAX_HTML_DEPTH), found in one pass over its tags
 * without building a tree, stopping as soon as it is so (the list of open elements never grows past the
 * limit, which keeps the pass linear). An element left open counts until the end, as a browser would nest
 * what follows inside it; a closing tag closes the innermost open element of its name, or nothing.
 */
export function isNestedTooDeeply(html: string, limit = MAX_HTML_DEPTH): boolean {
  const open: string[] = [];
  // Open elements by name: a closing tag of a name not open costs nothing, and one that is open scans back
  // only over the elements it closes.
  const openByName = new Map<string, number>();
  for (const [, closing, rawName, selfClosing] of html.matchAll(TAG)) {
    const name = rawName!.toLowerCase();
    if (VOID.has(name)) continue;
    if (closing) {
      if (!openByName.get(name)) continue;
      while (open.length > 0) {
        const closed = open.pop()!;
        openByName.set(closed, openByName.get(closed)! - 1);
        if (closed === name) break;
      }
    } else if (!selfClosing) {
      open.push(name);
      openByName.set(name, (openByName.get(name) ?? 0) + 1);
      if (open.length > limit) return true;
    }
  }
  return false;
}

/** isNestedTooDeeply at the default limit, remembering recent answers (delivery checks every message's body). */
export const isBodyNestedTooDeeply: (html: string) => boolean = rememberRecent((html) =>
  isNestedTooDeeply(html),
);
