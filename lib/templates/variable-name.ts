/**
 * A column header or a typed name as a template variable: "First name" → first_name. Empty when nothing usable is
 * left. Its own module: the campaign screens use it without loading the template engine.
 */
export function variableNameOf(header: string): string {
  return header
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .replace(/^(\d)/, "_$1");
}
