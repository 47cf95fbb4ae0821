// Writes prisma/postgres/schema.prisma: the one description of the models (prisma/schema.prisma) with the
// PostgreSQL provider and its own client output. Plain Node, because it runs at install time (postinstall),
// before anything is built. The file is generated, not edited: change prisma/schema.prisma instead.
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..", "..");
const source = fs.readFileSync(path.join(root, "prisma", "schema.prisma"), "utf8");

const swaps = [
  [/provider\s*=\s*"sqlite"/, 'provider = "postgresql"'],
  [/output\s*=\s*"\.\.\/lib\/generated\/prisma"/, 'output       = "../../lib/generated/prisma-pg"'],
];
let schema = source;
for (const [pattern, replacement] of swaps) {
  if (!pattern.test(schema)) throw new Error(`prisma/schema.prisma no longer matches ${pattern}`);
  schema = schema.replace(pattern, replacement);
}

const target = path.join(root, "prisma", "postgres", "schema.prisma");
fs.mkdirSync(path.dirname(target), { recursive: true });
const header = "// GENERATED from prisma/schema.prisma by lib/db/write-postgres-schema.mjs — do not edit.\n";
fs.writeFileSync(target, header + schema);
