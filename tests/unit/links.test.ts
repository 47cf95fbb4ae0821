import { describe, expect, it } from "vitest";
import { normalizeLink } from "@/lib/compose/links";

describe("normalizeLink: what the editor's link dialog stores", () => {
  it.each([
    ["https://example.com/page?q=1", "https://example.com/page?q=1"],
    ["http://example.com", "http://example.com"],
    ["  example.com/docs  ", "https://example.com/docs"],
    ["example.com:8080/x", "https://example.com:8080/x"],
    ["ana@example.com", "mailto:ana@example.com"],
    ["mailto:ana@example.com", "mailto:ana@example.com"],
  ])("%s → %s", (input, stored) => {
    expect(normalizeLink(input)).toBe(stored);
  });

  it.each([
    "",
    "   ",
    "javascript:alert(1)",
    "data:text/html,<script>x</script>",
    "ftp://example.com",
    "not a link",
    "intranet",
  ])("%j is refused", (input) => {
    expect(normalizeLink(input)).toBeNull();
  });
});
