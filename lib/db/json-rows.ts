import "server-only";
import { onPostgres, timestampText } from "@/lib/db/dialect";
import { Prisma } from "@/lib/generated/prisma/client";

// Many rows as one statement parameter: a JSON array unpacked by the database (json_each on SQLite,
// jsonb_to_recordset on PostgreSQL). The SQL text is the same however many rows there are, so it stays short
// and cheap to prepare, and the driver binds one value instead of one per cell. The delivery worker writes its
// batches this way.

export type JsonColumnType = "text" | "integer" | "timestamp" | "json";
type Columns = Record<string, JsonColumnType>;

const sqlColumn = /^[A-Za-z][A-Za-z0-9]*$/;

/**
 * A derived table — use it as `FROM ${jsonRows(...)} AS v` — with one row per element of `rows` and the given
 * columns. Column names come from code, never from input.
 */
export function jsonRows<C extends Columns>(
  columns: C,
  rows: ReadonlyArray<{ [K in keyof C]: unknown }>,
): Prisma.Sql {
  const names = Object.keys(columns);
  for (const name of names) if (!sqlColumn.test(name)) throw new Error(`Unsafe column name ${name}`);
  const encoded = JSON.stringify(
    rows.map((row) => names.map((name) => encodeCell(row[name], columns[name]!))),
  );
  if (onPostgres) {
    // Arrays of cells rather than objects: shorter JSON, unpacked by position.
    const select = names
      .map((name, i) =>
        columns[name] === "json"
          ? `r.cells->${i} AS "${name}"`
          : `CAST(r.cells->>${i} AS ${postgresType[columns[name]!]}) AS "${name}"`,
      )
      .join(", ");
    return Prisma.sql`(SELECT ${Prisma.raw(select)} FROM jsonb_array_elements(CAST(${encoded} AS jsonb)) AS r(cells))`;
  }
  const select = names
    .map((name, i) => `value${columns[name] === "json" ? "->" : "->>"}'$[${i}]' AS "${name}"`)
    .join(", ");
  return Prisma.sql`(SELECT ${Prisma.raw(select)} FROM json_each(${encoded}))`;
}

const postgresType: Record<JsonColumnType, string> = {
  text: "text",
  integer: "integer",
  timestamp: "timestamp(3)",
  json: "jsonb",
};

function encodeCell(value: unknown, type: JsonColumnType): unknown {
  if (value === null || value === undefined) return null;
  if (type === "timestamp") {
    if (!(value instanceof Date)) throw new Error("A timestamp cell must be a Date");
    return timestampText(value);
  }
  return value;
}
