// Bundles app/sw.ts with its Workbox modules into public/sw.js, with the precache list of this build's static
// assets (content-hashed chunks, the offline page, icons and manifest). Runs after `next build`.
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { build } from "esbuild";

const root = process.cwd();
const staticDir = path.join(root, ".next", "static");
const publicDir = path.join(root, "public");

type Entry = { url: string; revision: string | null };

async function main() {
  const buildId = fs.readFileSync(path.join(root, ".next", "BUILD_ID"), "utf8").trim();
  const entries: Entry[] = [
    // Next's static files carry a content hash in their name: the URL is the revision.
    ...walk(staticDir).map((file) => ({
      url: `/_next/static/${toUrlPath(path.relative(staticDir, file))}`,
      revision: null,
    })),
    // Everything else is revisioned by content or by build.
    ...walk(path.join(publicDir, "icons")).map((file) => ({
      url: `/${toUrlPath(path.relative(publicDir, file))}`,
      revision: hashFile(file),
    })),
    { url: "/offline", revision: buildId },
    { url: "/manifest.webmanifest", revision: buildId },
  ];

  await build({
    entryPoints: [path.join(root, "app", "sw.ts")],
    outfile: path.join(publicDir, "sw.js"),
    bundle: true,
    format: "iife",
    target: "es2022",
    minify: true,
    sourcemap: false,
    legalComments: "none",
    define: {
      "self.__WB_MANIFEST": JSON.stringify(entries),
      // Replaces Workbox's own NODE_ENV checks inside the bundle (a define, not a read).
      "process.env.NODE_ENV": JSON.stringify("production"),
    },
    logLevel: "warning",
  });
  const size = fs.statSync(path.join(publicDir, "sw.js")).size;
  console.log(
    `Service worker: public/sw.js (${(size / 1024).toFixed(1)} KB), ${entries.length} precached files`,
  );
}

function walk(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? walk(full) : [full];
  });
}

function toUrlPath(relative: string): string {
  return relative.split(path.sep).map(encodeURIComponent).join("/");
}

function hashFile(file: string): string {
  return createHash("sha256").update(fs.readFileSync(file)).digest("hex").slice(0, 16);
}

main().catch((error: Error) => {
  console.error(`Building the service worker failed: ${error.message}`);
  process.exit(1);
});
