import { PrismaPg } from "@prisma/adapter-pg";
import { expect, it } from "vitest";
import { onPostgres } from "@/lib/db/dialect";
import { readCatalogTypesAsText } from "@/lib/db/internals/pg-catalog-types";
import { pgPoolConfig } from "@/lib/db/pg-config";
import { env } from "@/lib/env";

// lib/db/internals/pg-catalog-types.ts patches @prisma/adapter-pg's private performIO: this fails when the
// adapter stops refusing PostgreSQL's catalog types (then the patch can go) or stops running through performIO.
if (!onPostgres) console.log("pg adapter internals test skipped on SQLite: it needs a PostgreSQL server.");

const relkind = { sql: "SELECT relkind FROM pg_class WHERE relname = 'pg_class'", args: [], argTypes: [] };

it.skipIf(!onPostgres)(
  "the pg adapter refuses catalog types, and reads them as text once patched",
  async () => {
    const plain = await new PrismaPg(pgPoolConfig(env.databaseUrl)).connect();
    const patched = await new PrismaPg(pgPoolConfig(env.databaseUrl)).connect();
    try {
      await expect(plain.queryRaw(relkind), 'the adapter now maps "char": drop the patch').rejects.toThrow();
      readCatalogTypesAsText(patched);
      expect((await patched.queryRaw(relkind)).rows).toEqual([["r"]]);
    } finally {
      await plain.dispose();
      await patched.dispose();
    }
  },
);

it("fails loudly on an adapter without performIO", () => {
  expect(() => readCatalogTypesAsText({} as Parameters<typeof readCatalogTypesAsText>[0])).toThrow(
    /no longer has performIO/,
  );
});
