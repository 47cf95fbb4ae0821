// The assistant answers in plain text (paragraphs, "- " bullets); the editor gets escaped HTML built from it,
// so nothing the model says can become markup of its own.
const escape = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

export function plainTextToHtml(text: string): string {
  return text
    .replace(/\r\n/g, "\n")
    .split(/\n{2,}/)
    .map((block) => block.trim())
    .filter(Boolean)
    .map((block) => {
      const lines = block.split("\n");
      if (lines.every((l) => /^\s*[-*•]\s+/.test(l))) {
        return `<ul>${lines.map((l) => `<li><p>${escape(l.replace(/^\s*[-*•]\s+/, ""))}</p></li>`).join("")}</ul>`;
      }
      return `<p>${lines.map(escape).join("<br>")}</p>`;
    })
    .join("");
}
