// Shortens text for a notification without breaking a character: cuts fall between graphemes (an emoji with
// its modifiers, a letter with its accents stays whole), or between code points when one grapheme is longer
// than the whole allowance (a letter carrying thousands of combining marks), never inside a surrogate pair.

const ELLIPSIS = "…";
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const CONTROL = /[\u0000-\u001F\u007F-\u009F\u2028\u2029]+/g;

/** One line of well-formed text: control characters become spaces, broken surrogates become U+FFFD. */
export function cleanLine(text: string): string {
  return text.replace(LONE_SURROGATE, "\uFFFD").replace(CONTROL, " ").replace(/\s+/g, " ").trim();
}

/** At most `maxCodePoints` code points, the ellipsis included when the text had to be cut. */
export function truncateText(text: string, maxCodePoints: number): string {
  if (fitsIn(text, maxCodePoints)) return text;
  const room = maxCodePoints - 1;
  let out = "";
  let used = 0;
  for (const { segment } of new Intl.Segmenter(undefined, { granularity: "grapheme" }).segment(text)) {
    const size = codePointCount(segment, room + 1);
    if (used + size > room) {
      if (used === 0) out = firstCodePoints(segment, room); // one grapheme longer than the allowance
      break;
    }
    out += segment;
    used += size;
  }
  return out.trimEnd() + ELLIPSIS;
}

function fitsIn(text: string, maxCodePoints: number): boolean {
  // Each code point takes one or two UTF-16 units: decide by length alone when it can be done.
  if (text.length <= maxCodePoints) return true;
  if (text.length > maxCodePoints * 2) return false;
  return codePointCount(text, maxCodePoints + 1) <= maxCodePoints;
}

/** Counts code points, stopping early at `stopAt`. */
function codePointCount(text: string, stopAt: number): number {
  let n = 0;
  for (const _ of text) if (++n >= stopAt) break;
  return n;
}

function firstCodePoints(text: string, count: number): string {
  let out = "";
  let n = 0;
  for (const ch of text) {
    if (n++ === count) break;
    out += ch;
  }
  return out;
}
