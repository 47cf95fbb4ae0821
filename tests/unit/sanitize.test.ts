import { describe, expect, it } from "vitest";
import { htmlToPlainText } from "@/lib/mail/plain-text";
import { sanitizeEmailHtml } from "@/lib/mail/sanitize";

describe("sanitizeEmailHtml", () => {
  it.each([
    ["<script>alert(1)</script><p>ok</p>", "<p>ok</p>"],
    ['<img src="x" onerror="alert(1)">', '<img src="x" />'],
    ['<a href="javascript:alert(1)">x</a>', '<a target="_blank" rel="noopener noreferrer nofollow">x</a>'],
    [
      '<a href="https://example.com">x</a>',
      '<a href="https://example.com" target="_blank" rel="noopener noreferrer nofollow">x</a>',
    ],
    ['<p style="background:url(https://t.example/p)">x</p>', "<p>x</p>"],
    ['<iframe src="https://evil.example"></iframe><form><input></form>', ""],
    [
      "<h2>Title</h2><ul><li><strong>b</strong> <em>i</em> <code>c</code></li></ul><blockquote>q</blockquote>",
      "<h2>Title</h2><ul><li><strong>b</strong> <em>i</em> <code>c</code></li></ul><blockquote>q</blockquote>",
    ],
  ])("%s", (input, expected) => {
    expect(sanitizeEmailHtml(input)).toBe(expected);
  });
});

describe("htmlToPlainText", () => {
  it("keeps structure readable", () => {
    expect(htmlToPlainText("<p>Hello <strong>Bob</strong></p><ul><li>one</li><li>two</li></ul>")).toBe(
      "Hello Bob\n\n * one\n * two",
    );
  });
});
