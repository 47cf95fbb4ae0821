import path from "node:path";
import { defineConfig } from "prisma/config";

// Prisma 7 keeps the connection URL here. Only `prisma generate` reads this file: migrations go through
// lib/db/migrate.ts (npm run db:migrate / db:migration), which needs no downloaded engine.
export default defineConfig({
  schema: path.join("prisma", "schema.prisma"),
  migrations: { path: path.join("prisma", "migrations") },
  datasource: { url: process.env.DATABASE_URL ?? "file:./.data/securevault.db" },
});
