import "server-only";
import { compile, type FormatCallback } from "html-to-text";
import { rememberRecent } from "@/lib/cache/recent-results";

// A signature Compose marked (lib/compose/reply.ts) goes below the standard "-- " line (RFC 3676 §4.3), which
// mail readers use to tell it apart; quoted text (a blockquote) gets "> " on every line.
// The signature's first paragraph would open with blank lines of its own, so the formatter writes a private-use
// mark and the line replaces it (and those blank lines) afterwards, right above the signature.
const SIGNATURE_MARK = "\uE000";
const SIGNATURE_GAP = /\uE000\n*/g;
const signature: FormatCallback = (elem, walk, builder) => {
  builder.openBlock({ leadingLineBreaks: 2 });
  builder.addLiteral(SIGNATURE_MARK);
  walk(elem.children, builder);
  builder.closeBlock({ trailingLineBreaks: 2 });
};

// Built once: html-to-text's convert() compiles its options (a selector decision tree) on every call, which
// cost more than the conversion itself when every body differs (a mail merge).
const convert = compile({
  wordwrap: 78,
  formatters: { signature },
  selectors: [
    { selector: "a", options: { hideLinkHrefIfSameAsText: true } },
    { selector: "img", format: "skip" },
    { selector: "div.sv-signature", format: "signature" },
    { selector: "blockquote", options: { trimEmptyLines: true } },
  ],
});

/** The plain-text alternative sent beside the HTML part. */
export function htmlToPlainText(html: string): string {
  return convert(html).replace(SIGNATURE_GAP, "-- \n").trim();
}

/** htmlToPlainText, remembering recent answers (the conversion is the costliest step of building a message). */
export const plainTextOf: (html: string) => string = rememberRecent(htmlToPlainText);
