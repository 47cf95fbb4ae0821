import { describe, expect, it } from "vitest";
import { isNestedTooDeeply, MAX_HTML_DEPTH } from "@/lib/mail/html-depth";

const nest = (n: number, tag = "div") => `${`<${tag}>`.repeat(n)}x${`</${tag}>`.repeat(n)}`;

describe("HTML nesting depth", () => {
  it.each([
    { html: "<p>Hello <strong>there</strong></p>", deep: false },
    { html: nest(MAX_HTML_DEPTH), deep: false },
    { html: nest(MAX_HTML_DEPTH + 1), deep: true },
    { html: "<div>".repeat(20_000), deep: true },
    // Siblings do not add up, void and self-closing elements open nothing.
    { html: nest(200).repeat(50), deep: false },
    { html: `<div>${"<br><img src=x><hr/>".repeat(1000)}</div>`, deep: false },
    { html: `<div>${"<span/>".repeat(1000)}</div>`, deep: false },
    // A ">" inside a quoted attribute does not end the tag; stray closing tags close nothing.
    { html: `<a title="a > b">${"</p>".repeat(1000)}${nest(10)}</a>`, deep: false },
    // Left open, as a browser would nest what follows.
    { html: "<p>".repeat(MAX_HTML_DEPTH + 1), deep: true },
  ])("$html.length characters: too deep $deep", ({ html, deep }) => {
    expect(isNestedTooDeeply(html)).toBe(deep);
  });

  it.each(["<a ", '<a "', "<a '", "</p>"])("answers for %j repeated a million times", (piece) => {
    // Unfinished tags and stray closing tags: the scan neither backtracks to the end nor searches the open list.
    expect(isNestedTooDeeply(piece.repeat(1_000_000))).toBe(false);
  });
});
