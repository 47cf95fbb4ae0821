// npm run db:migrate | db:migration <name> | db:diff — offline Prisma migrations (see lib/db/migrations.ts).
import "@/lib/server/load-dotenv";
import path from "node:path";
import { env } from "@/lib/env";
import { sqliteFilePath } from "@/lib/db/sqlite-path";
import { applyMigrations, createMigration, diffSchemaAgainstMigrations } from "@/lib/db/migrations";

const paths = {
  schemaPath: path.resolve("prisma/schema.prisma"),
  migrationsDir: path.resolve("prisma/migrations"),
};

async function main(command: string | undefined, args: string[]): Promise<number> {
  switch (command) {
    case "migrate": {
      const databaseFile = sqliteFilePath(env.databaseUrl);
      const applied = await applyMigrations({ ...paths, databaseFile });
      console.log(
        applied.length
          ? `Applied ${applied.join(", ")} to ${databaseFile}`
          : `Database is up to date (${databaseFile}).`,
      );
      return 0;
    }
    case "migration": {
      const name = args.join(" ").trim();
      if (!name) {
        console.error("Usage: npm run db:migration -- <name>");
        return 1;
      }
      const created = await createMigration({ ...paths, name });
      console.log(
        created
          ? `Created ${path.relative(process.cwd(), created.file)}:\n\n${created.sql}`
          : "No schema changes: nothing to create.",
      );
      return 0;
    }
    case "diff": {
      const sql = await diffSchemaAgainstMigrations(paths);
      console.log(
        sql
          ? `The schema differs from the migrations. Run npm run db:migration -- <name>:\n\n${sql}`
          : "Schema and migrations agree.",
      );
      return sql ? 1 : 0;
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
