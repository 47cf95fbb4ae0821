import type { Finding } from "@/lib/validation/ai";

// Checks that need no model: they run on every Send, with or without AI configured.

const ATTACHMENT_WORDS =
  /\b(attach(ed|ment|ments|ing)?|enclosed|see the file|find the file)\b|\bpi[eè]ce jointe\b|\banbei\b|\badjunt[oa]\b/i;
const PLACEHOLDERS =
  /\{\{\s*[^}]{1,40}\s*\}\}|\[(?:name|first name|last name|company|date|your name|recipient|insert[^\]]{0,30})\]|<(?:name|first name|company)>/gi;

export function localFindings(input: { subject: string; body: string; attachments: number }): Finding[] {
  const findings: Finding[] = [];
  const text = `${input.subject}\n${input.body}`;
  if (input.attachments === 0 && ATTACHMENT_WORDS.test(text)) {
    findings.push({
      kind: "missing_attachment",
      message: "The message mentions an attachment, but nothing is attached.",
    });
  }
  const seen = new Set<string>();
  for (const match of text.matchAll(PLACEHOLDERS)) {
    if (seen.has(match[0])) continue;
    seen.add(match[0]);
    findings.push({
      kind: "placeholder",
      message: `“${match[0]}” looks like a placeholder that was never filled in.`,
    });
  }
  return findings;
}
