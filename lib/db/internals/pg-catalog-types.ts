import type { SqlDriverAdapter, SqlQuery } from "@prisma/driver-adapter-utils";

// INTERNALS of @prisma/adapter-pg (checked against 7.10.0; tests/integration/db-internals-pg.test.ts): its
// queryable runs every query through a TypeScript-private `performIO`, whose result carries pg's `fields`, and
// queryRaw then maps each field's type OID to a column type, refusing OIDs below 16384 it has no mapping for.
// The public `userDefinedTypeParser` option is only asked about OIDs at or above 16384, so it cannot help here.
export const CHECKED_AGAINST = { package: "@prisma/adapter-pg", version: "7.10.0" } as const;

// The migration engine reads PostgreSQL's catalog, whose columns include types the adapter refuses (such as
// "char", OID 18, in pg_class.relkind). pg hands their values over as strings already, so the adapter is told
// they are text.
const CATALOG_TYPES_AS_TEXT = new Set([18, 22, 28, 30, 194]); // "char", int2vector, xid, oidvector, pg_node_tree
const TEXT_OID = 25;

type PgIO = { performIO(query: SqlQuery): Promise<{ fields: { dataTypeID: number }[] }> };

/** Makes a pg adapter connection read PostgreSQL's catalog-only column types as text. */
export function readCatalogTypesAsText(adapter: SqlDriverAdapter): void {
  const target = adapter as unknown as Partial<PgIO>;
  if (typeof target.performIO !== "function") {
    throw new Error(
      `${CHECKED_AGAINST.package} no longer has performIO (checked against ${CHECKED_AGAINST.version}): ` +
        "see lib/db/internals/README.md",
    );
  }
  const performIO = target.performIO.bind(adapter);
  target.performIO = async (query) => {
    const result = await performIO(query);
    for (const field of result.fields) {
      if (CATALOG_TYPES_AS_TEXT.has(field.dataTypeID)) field.dataTypeID = TEXT_OID;
    }
    return result;
  };
}
