// A campaign's recipients from a CSV file: a header row, UTF-8 with or without a BOM, "," or ";" between fields,
// quoted fields (with quotes doubled and line breaks inside). Parsed by csv-parse; this module decides which
// separator the file uses, names the columns, finds the address column, and lists the rows that will not go.
import { parse } from "csv-parse/sync";
import { variableNameOf } from "@/lib/templates/render";
import { emailAddress } from "@/lib/validation/common";

export const MAX_CSV_BYTES = 10 * 1024 * 1024;
export const MAX_CSV_ROWS = 50_000;

export type CsvColumn = { header: string; variable: string };
export type CsvRow = { position: number; values: Record<string, string> };
export type CsvProblem = { position: number; value: string; reason: string };

export type ParsedCsv = {
  columns: CsvColumn[];
  rows: CsvRow[];
  delimiter: "," | ";";
  /** The variable of the column that holds the addresses, when one was found. */
  emailColumn: string | null;
};

export class CsvImportError extends Error {
  constructor(
    message: string,
    readonly tooLarge = false,
  ) {
    super(message);
    this.name = "CsvImportError";
  }
}

export function parseRecipientsCsv(input: Buffer | string): ParsedCsv {
  const bytes = typeof input === "string" ? Buffer.byteLength(input) : input.byteLength;
  if (bytes > MAX_CSV_BYTES) throw new CsvImportError("The file is larger than 10 MB.", true);
  const text = (typeof input === "string" ? input : input.toString("utf8")).replace(/^\uFEFF/, "");
  if (!text.trim()) throw new CsvImportError("The file is empty.");
  const delimiter = delimiterOf(text);
  let records: string[][];
  try {
    records = parse(text, {
      delimiter,
      relax_column_count: true,
      skip_empty_lines: true,
      trim: false,
      // One more than allowed, so a file just over the limit is told apart from one at it.
      to: MAX_CSV_ROWS + 2,
    }) as string[][];
  } catch (error) {
    throw new CsvImportError(`The file is not valid CSV: ${(error as Error).message}`);
  }
  const [head, ...data] = records;
  if (!head || head.every((h) => !h.trim())) throw new CsvImportError("The first row must name the columns.");
  if (data.length > MAX_CSV_ROWS) {
    throw new CsvImportError(`The file has more than ${MAX_CSV_ROWS.toLocaleString("en")} rows.`, true);
  }
  if (data.length === 0) throw new CsvImportError("The file has a header row but no rows under it.");
  const columns = namedColumns(head);
  const rows = data.map((cells, i) => {
    const values: Record<string, string> = {};
    columns.forEach((c, j) => (values[c.variable] = (cells[j] ?? "").trim()));
    return { position: i + 1, values };
  });
  return { columns, rows, delimiter, emailColumn: detectEmailColumn(columns, rows) };
}

/** The rows that will go, and those that will not: no valid address, or an address an earlier row has. */
export function checkAddresses(
  rows: CsvRow[],
  emailColumn: string,
): { valid: (CsvRow & { email: string })[]; invalid: CsvProblem[]; duplicates: CsvProblem[] } {
  const seen = new Map<string, number>();
  const valid: (CsvRow & { email: string })[] = [];
  const invalid: CsvProblem[] = [];
  const duplicates: CsvProblem[] = [];
  for (const row of rows) {
    const value = row.values[emailColumn] ?? "";
    const email = normalizedEmail(value);
    if (!email) {
      invalid.push({
        position: row.position,
        value,
        reason: value ? "Not a valid email address." : "No email address.",
      });
      continue;
    }
    const first = seen.get(email);
    if (first !== undefined) {
      duplicates.push({ position: row.position, value, reason: `The same address as row ${first}.` });
      continue;
    }
    seen.set(email, row.position);
    valid.push({ ...row, email });
  }
  return { valid, invalid, duplicates };
}

/** The address lowercased, or null when it is not one. */
export function normalizedEmail(value: string): string | null {
  const parsed = emailAddress.safeParse(value);
  return parsed.success ? parsed.data.toLowerCase() : null;
}

// The separator is the one the header row uses: a header naming "Name, first" would be quoted in a ","-file.
function delimiterOf(text: string): "," | ";" {
  let commas = 0;
  let semicolons = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === "\n" || c === "\r")) break;
    else if (!quoted && c === ",") commas += 1;
    else if (!quoted && c === ";") semicolons += 1;
  }
  return semicolons > commas ? ";" : ",";
}

function namedColumns(head: string[]): CsvColumn[] {
  const taken = new Set<string>();
  return head.map((raw, i) => {
    const header = raw.trim();
    const base = variableNameOf(header) || `column_${i + 1}`;
    let variable = base;
    for (let n = 2; taken.has(variable); n++) variable = `${base}_${n}`;
    taken.add(variable);
    return { header: header || `Column ${i + 1}`, variable };
  });
}

// A column named like an address ("Email", "E-mail", "Courriel") wins; otherwise the one whose first rows are
// addresses most often.
function detectEmailColumn(columns: CsvColumn[], rows: CsvRow[]): string | null {
  const named = columns.find((c) => /^(e_?mail|email_address|mail|courriel|correo)$/.test(c.variable));
  if (named) return named.variable;
  const sample = rows.slice(0, 200);
  let best: { variable: string; hits: number } | null = null;
  for (const c of columns) {
    const hits = sample.filter((r) => normalizedEmail(r.values[c.variable] ?? "") !== null).length;
    if (hits > 0 && (!best || hits > best.hits)) best = { variable: c.variable, hits };
  }
  return best && best.hits >= sample.length / 2 ? best.variable : null;
}
