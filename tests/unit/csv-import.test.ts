import { describe, expect, it } from "vitest";
import { checkAddresses, CsvImportError, MAX_CSV_ROWS, parseRecipientsCsv } from "@/lib/campaigns/csv-import";

describe("CSV import", () => {
  it.each([
    ["commas", "email,First name\nann@example.com,Ann\n"],
    ["semicolons", "email;First name\nann@example.com;Ann\n"],
    ["a BOM", "\uFEFFemail,First name\r\nann@example.com,Ann\r\n"],
    ["a BOM and semicolons", "\uFEFFemail;First name\nann@example.com;Ann"],
  ])("reads a file with %s", (_label, text) => {
    const parsed = parseRecipientsCsv(Buffer.from(text, "utf8"));
    expect(parsed.columns).toEqual([
      { header: "email", variable: "email" },
      { header: "First name", variable: "first_name" },
    ]);
    expect(parsed.rows).toEqual([{ position: 1, values: { email: "ann@example.com", first_name: "Ann" } }]);
    expect(parsed.emailColumn).toBe("email");
  });

  it("keeps quoted fields whole: separators, doubled quotes and line breaks inside", () => {
    const parsed = parseRecipientsCsv(
      'Mail;Note\n"a@x.test";"one; two ""three""\nsecond line"\nb@x.test;plain\n',
    );
    expect(parsed.rows.map((r) => r.values.note)).toEqual(['one; two "three"\nsecond line', "plain"]);
    expect(parsed.rows[1]!.position).toBe(2);
  });

  it("a comma inside a quoted header does not make a semicolon file a comma file", () => {
    const parsed = parseRecipientsCsv('"Name, first";Address\nAnn;ann@x.test\n');
    expect(parsed.delimiter).toBe(";");
    expect(parsed.emailColumn).toBe("address");
  });

  it("finds the address column by its values when its name says nothing", () => {
    const parsed = parseRecipientsCsv("who,contact\nAnn,ann@x.test\nBob,bob@x.test\n");
    expect(parsed.emailColumn).toBe("contact");
  });

  it("names clashing and empty headers apart", () => {
    const parsed = parseRecipientsCsv("Name,name,,email\na,b,c,d@x.test\n");
    expect(parsed.columns.map((c) => c.variable)).toEqual(["name", "name_2", "column_3", "email"]);
  });

  it("lists invalid and duplicate addresses, and keeps the first of each address", () => {
    const { rows } = parseRecipientsCsv("email\nann@x.test\nnot-an-address\n\nANN@x.test\nbob@x.test\n,\n");
    const { valid, invalid, duplicates } = checkAddresses(rows, "email");
    expect(valid.map((r) => r.email)).toEqual(["ann@x.test", "bob@x.test"]);
    expect(invalid.map((p) => [p.position, p.reason])).toEqual([
      [2, "Not a valid email address."],
      [5, "No email address."],
    ]);
    expect(duplicates).toEqual([{ position: 3, value: "ANN@x.test", reason: "The same address as row 1." }]);
  });

  it(`reads ${MAX_CSV_ROWS} rows and refuses one more`, () => {
    const lines = Array.from({ length: MAX_CSV_ROWS }, (_, i) => `user${i}@example.com;Name ${i}`);
    const parsed = parseRecipientsCsv(`email;name\n${lines.join("\n")}\n`);
    expect(parsed.rows).toHaveLength(MAX_CSV_ROWS);
    expect(checkAddresses(parsed.rows, "email").valid).toHaveLength(MAX_CSV_ROWS);
    const over = () => parseRecipientsCsv(`email;name\n${lines.join("\n")}\nlast@example.com;x\n`);
    expect(over).toThrow(/more than 50,000 rows/);
    try {
      over();
    } catch (error) {
      expect((error as CsvImportError).tooLarge).toBe(true);
    }
  });

  it("refuses a file over 10 MB as too large", () => {
    const big = Buffer.alloc(10 * 1024 * 1024 + 1, "a");
    expect(() => parseRecipientsCsv(big)).toThrow(/larger than 10 MB/);
  });

  it.each([
    ["an empty file", ""],
    ["a header only", "email\n"],
    ["an unclosed quote", 'email\n"ann@x.test\n'],
  ])("refuses %s with a reason", (_label, text) => {
    expect(() => parseRecipientsCsv(text)).toThrow(CsvImportError);
  });
});
