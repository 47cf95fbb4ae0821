// Parses what people type into the To/Cc/Bcc fields: "alice@example.com", "Alice <alice@example.com>",
// several separated by commas, semicolons or new lines.
export type RecipientChip = { address: string; name?: string; valid: boolean; raw: string };

const ADDRESS = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:"]{2,}$/;

export function isValidAddress(address: string): boolean {
  return address.length <= 254 && ADDRESS.test(address);
}

export function parseRecipients(input: string): RecipientChip[] {
  return input
    .split(/[,;\n]+/)
    .map((part) => part.trim())
    .filter(Boolean)
    .map(parseOne);
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
