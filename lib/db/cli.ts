// npm run db:migrate | db:migration <name> | db:diff — offline Prisma migrations (see lib/db/migrations.ts).
// One description of the models (prisma/schema.prisma), two migration histories: prisma/migrations for SQLite
// and prisma/migrations-postgres for PostgreSQL. Making or checking PostgreSQL migrations needs a PostgreSQL
// server to replay them on (POSTGRES_MIGRATION_URL); without one, the SQLite side is still done.
import "@/lib/server/load-dotenv";
import path from "node:path";
import { env } from "@/lib/env";
import {
  applyMigrations,
  createMigration,
  diffSchemaAgainstMigrations,
  nextMigrationTimestamp,
} from "@/lib/db/migrations";
import { databaseProvider } from "@/lib/db/dialect";
import { migrationPaths } from "@/lib/db/provider";

const sqlite = migrationPaths("sqlite");
const postgres = { ...migrationPaths("postgresql"), shadowUrl: env.POSTGRES_MIGRATION_URL };

async function main(command: string | undefined, args: string[]): Promise<number> {
  switch (command) {
    case "migrate": {
      const provider = databaseProvider;
      const applied = await applyMigrations({ ...migrationPaths(provider), databaseUrl: env.databaseUrl });
      const where = provider === "sqlite" ? env.databaseUrl.replace(/^file:/, "") : "PostgreSQL";
      console.log(
        applied.length ? `Applied ${applied.join(", ")} to ${where}` : `Database is up to date (${where}).`,
      );
      return 0;
    }
    case "migration": {
      const name = args.join(" ").trim();
      if (!name) {
        console.error("Usage: npm run db:migration -- <name>");
        return 1;
      }
      const timestamp = nextMigrationTimestamp(undefined);
      const created = await createMigration({ ...sqlite, name, timestamp });
      console.log(
        created
          ? `Created ${path.relative(process.cwd(), created.file)}:\n\n${created.sql}\n`
          : "SQLite: no schema changes, nothing to create.",
      );
      try {
        const pg = await createMigration({ ...postgres, name, timestamp });
        console.log(
          pg
            ? `Created ${path.relative(process.cwd(), pg.file)}:\n\n${pg.sql}`
            : "PostgreSQL: no schema changes, nothing to create.",
        );
      } catch (error) {
        console.error(
          `PostgreSQL migration NOT created (${(error as Error).message}). Start PostgreSQL or set ` +
            "POSTGRES_MIGRATION_URL, then run this command again: it creates only what is missing.",
        );
        return 1;
      }
      return 0;
    }
    case "diff": {
      let differs = false;
      for (const [label, paths] of [
        ["SQLite", sqlite],
        ["PostgreSQL", postgres],
      ] as const) {
        const sql = await diffSchemaAgainstMigrations(paths);
        differs ||= Boolean(sql);
        console.log(
          sql
            ? `${label}: the schema differs from the migrations. Run npm run db:migration -- <name>:\n\n${sql}\n`
            : `${label}: schema and migrations agree.`,
        );
      }
      return differs ? 1 : 0;
    }
    default:
      console.error("Usage: tsx lib/db/cli.ts migrate | migration <name> | diff");
      return 1;
  }
}

main(process.argv[2], process.argv.slice(3)).then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`Database command failed: ${error.message}`);
    process.exit(1);
  },
);
