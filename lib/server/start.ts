// npm start — builds when the sources changed since the last build, applies migrations, then serves.
import "@/lib/server/load-dotenv";
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { databaseProvider } from "@/lib/db/dialect";
import { applyMigrations } from "@/lib/db/migrations";
import { migrationPaths } from "@/lib/db/provider";
import { env } from "@/lib/env";

const root = process.cwd();
const nextBin = path.join(root, "node_modules", "next", "dist", "bin", "next");
const tsxBin = path.join(root, "node_modules", "tsx", "dist", "cli.mjs");
const peerAddressHook = pathToFileURL(path.join(root, "lib", "server", "peer-address-hook.mjs")).href;
const stampFile = path.join(root, ".next", "securevault-source-hash");
const sources = [
  "app",
  "components",
  "lib",
  "public",
  "prisma/schema.prisma",
  "instrumentation.ts",
  "next.config.ts",
  "package-lock.json",
  "tsconfig.json",
];

// Next.js telemetry would phone home from self-hosted installs (and fail offline): off unless asked for.
process.env.NEXT_TELEMETRY_DISABLED ??= "1";

async function main() {
  const hash = sourceHash();
  const built =
    fs.existsSync(path.join(root, ".next", "BUILD_ID")) &&
    fs.existsSync(path.join(root, "public", "sw.js")) &&
    readStamp() === hash;
  if (!built) {
    console.log("Building SecureVault (first start or sources changed)…");
    for (const args of [
      [nextBin, "build"],
      [tsxBin, path.join(root, "lib", "offline", "build-sw.ts")],
    ]) {
      const result = spawnSync(process.execPath, args, { stdio: "inherit", env: process.env });
      if (result.status !== 0) process.exit(result.status ?? 1);
    }
    fs.writeFileSync(stampFile, hash);
  }

  const applied = await applyMigrations({
    ...migrationPaths(databaseProvider, root),
    databaseUrl: env.databaseUrl,
  });
  if (applied.length) console.log(`Applied migrations: ${applied.join(", ")}`);

  // A larger young generation means fewer, shorter GC pauses under load: send-path latency tails drop. The
  // peer-address hook gives route handlers the socket's address (lib/security/client-address.ts).
  const server = spawn(
    process.execPath,
    ["--max-semi-space-size=64", "--import", peerAddressHook, nextBin, "start", "-p", String(env.PORT)],
    {
      stdio: "inherit",
      env: process.env,
    },
  );
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => server.kill(signal));
  server.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

function readStamp(): string | null {
  try {
    return fs.readFileSync(stampFile, "utf8");
  } catch {
    return null;
  }
}

function sourceHash(): string {
  const hash = createHash("sha256");
  const visit = (p: string) => {
    const full = path.join(root, p);
    // Generated files (Prisma client, the built service worker) are outputs, not sources.
    if (
      !fs.existsSync(full) ||
      p.startsWith(path.join("lib", "generated")) ||
      p === path.join("public", "sw.js")
    )
      return;
    const stat = fs.statSync(full);
    if (stat.isDirectory()) {
      for (const entry of fs.readdirSync(full).sort()) visit(path.join(p, entry));
    } else {
      hash.update(`${p}\0`).update(fs.readFileSync(full));
    }
  };
  sources.forEach(visit);
  return hash.digest("hex");
}

main().catch((error: Error) => {
  console.error(`SecureVault could not start: ${error.message}`);
  process.exit(1);
});
