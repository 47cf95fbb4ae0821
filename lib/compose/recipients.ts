// Parses what people type into the To/Cc/Bcc fields: "alice@example.com", "Alice <alice@example.com>",
// several separated by commas, semicolons or new lines.
export type RecipientChip = { address: string; name?: string; valid: boolean; raw: string };

const ADDRESS = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:"]{2,}$/;

export function isValidAddress(address: string): boolean {
  return address.length <= 254 && ADDRESS.test(address);
}

export function parseRecipients(input: string): RecipientChip[] {
  return splitOutsideQuotes(input)
    .map((part) => part.trim())
    .filter(Boolean)
    .map(parseOne);
}

/** While typing: the recipients finished by a separator, and the text still being typed. */
export function takeCompleteRecipients(input: string): { complete: RecipientChip[]; rest: string } {
  const parts = splitOutsideQuotes(input);
  const rest = parts.pop() ?? "";
  return {
    complete: parts
      .map((p) => p.trim())
      .filter(Boolean)
      .map(parseOne),
    rest: rest.trimStart(),
  };
}

// Separators inside "quoted names" or <angle brackets> do not split: "Bob, Jr" <bob@example.com> is one.
function splitOutsideQuotes(input: string): string[] {
  const parts: string[] = [];
  let current = "";
  let quoted = false;
  let angled = false;
  for (const ch of input) {
    if (ch === '"') quoted = !quoted;
    else if (ch === "<" && !quoted) angled = true;
    else if (ch === ">" && !quoted) angled = false;
    if (!quoted && !angled && (ch === "," || ch === ";" || ch === "\n")) {
      parts.push(current);
      current = "";
    } else {
      current += ch;
    }
  }
  parts.push(current);
  return parts;
}

function parseOne(raw: string): RecipientChip {
  const named = /^\s*"?([^"<]*?)"?\s*<([^>]+)>\s*$/.exec(raw);
  if (named) {
    const address = named[2]!.trim();
    const name = named[1]!.trim();
    return { address, name: name || undefined, valid: isValidAddress(address), raw };
  }
  return { address: raw, valid: isValidAddress(raw), raw };
}

export function formatRecipient(r: { address: string; name?: string }): string {
  return r.name ? `${r.name} <${r.address}>` : r.address;
}
