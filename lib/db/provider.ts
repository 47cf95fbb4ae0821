import path from "node:path";

export type Provider = "sqlite" | "postgresql";

/** Which database a URL points at: postgres:// and postgresql:// are PostgreSQL, anything else SQLite. */
export const providerOf = (databaseUrl: string): Provider =>
  /^postgres(ql)?:\/\//.test(databaseUrl) ? "postgresql" : "sqlite";

export type MigrationPaths = { schemaPath: string; migrationsDir: string };

/** Where a provider's schema and migrations live, under the project root. */
export function migrationPaths(provider: Provider, root = process.cwd()): MigrationPaths {
  return provider === "postgresql"
    ? {
        schemaPath: path.join(root, "prisma", "postgres", "schema.prisma"),
        migrationsDir: path.join(root, "prisma", "migrations-postgres"),
      }
    : {
        schemaPath: path.join(root, "prisma", "schema.prisma"),
        migrationsDir: path.join(root, "prisma", "migrations"),
      };
}
