// Prints each screen's first-load JavaScript (gzip) after `next build`, and fails the build when Compose goes
// over its budget. Lazily loaded chunks (the editor, the offline database) are not first-load.
import fs from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";

// From the product brief: Compose, the screen people open on a phone with a weak signal.
const BUDGET_KB: Record<string, number> = { "/compose": 200 };
const SCREENS = ["/compose", "/outbox", "/drafts", "/sent", "/mailbox", "/settings", "/sign-in"];

const root = path.join(process.cwd(), ".next");
const buildManifest = JSON.parse(fs.readFileSync(path.join(root, "build-manifest.json"), "utf8")) as {
  rootMainFiles: string[];
};
const gzipCache = new Map<string, number>();

function gzipSize(file: string): number {
  let size = gzipCache.get(file);
  if (size === undefined) {
    size = gzipSync(fs.readFileSync(path.join(root, file)), { level: 9 }).length;
    gzipCache.set(file, size);
  }
  return size;
}

function entryFiles(screen: string): string[] | null {
  const dir = findPageDir(path.join(root, "server", "app"), screen);
  if (!dir) return null;
  const source = fs.readFileSync(path.join(dir, "page_client-reference-manifest.js"), "utf8");
  const json = source.slice(source.indexOf("= {") + 2).replace(/;\s*$/, "");
  const manifest = JSON.parse(json) as { entryJSFiles: Record<string, string[]> };
  // The page's own entry lists every chunk of its layouts and itself.
  const pageKey = Object.keys(manifest.entryJSFiles).find((k) => k.endsWith(`${screen}/page`));
  return pageKey ? manifest.entryJSFiles[pageKey]! : null;
}

// Route groups such as (app) do not appear in URLs: look for the page folder under any of them.
function findPageDir(base: string, screen: string): string | null {
  const direct = path.join(base, ...screen.split("/").filter(Boolean));
  if (fs.existsSync(path.join(direct, "page_client-reference-manifest.js"))) return direct;
  for (const entry of fs.readdirSync(base, { withFileTypes: true })) {
    if (entry.isDirectory() && entry.name.startsWith("(")) {
      const found = findPageDir(path.join(base, entry.name), screen);
      if (found) return found;
    }
  }
  return null;
}

let failed = false;
console.log("First-load JS (gzip):");
for (const screen of SCREENS) {
  const files = entryFiles(screen);
  if (!files) continue;
  const all = new Set([...buildManifest.rootMainFiles, ...files]);
  const kb = [...all].reduce((sum, f) => sum + gzipSize(f), 0) / 1024;
  const budget = BUDGET_KB[screen];
  const verdict = budget ? ` (budget ${budget} KB: ${kb <= budget ? "ok" : "OVER"})` : "";
  if (budget && kb > budget) failed = true;
  console.log(`  ${screen.padEnd(10)} ${kb.toFixed(1).padStart(7)} KB${verdict}`);
}
if (failed) {
  console.error("A screen's first-load JavaScript is over its budget.");
  process.exit(1);
}
