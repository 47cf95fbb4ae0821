// Prints each screen's first-load JavaScript (gzip) after `next build`, and fails the build when a screen goes
// over its budget. Lazily loaded chunks (the editor, the offline database) are not first-load.
import fs from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";

// The goal (issue #20) is 170 KB on every screen. React and the Next.js runtime alone are 132 KB and MUI with
// emotion and the theme another 35 KB, so no screen built on them gets there yet (docs/performance.md has the
// breakdown): each budget is what the screen weighs now plus a little, and a screen that grows past its budget
// fails the build. Lower a budget when a screen gets lighter; never raise one without saying what the bytes buy.
// Adding to a screen (attachments, reply, signatures, preview, contacts …): whatever is not needed for the first
// paint — dialogs, pickers, the editor's extensions, AI tools — goes behind next/dynamic with `ssr: false` and is
// rendered only when open; libraries used in a handler are imported in the handler (docs/performance.md).
const GOAL_KB = 170;
const BUDGET_KB: Record<string, number> = {
  // 198.6 → 202.4 KB with this wave's Compose (attachment drop and paste, the reply/forward thread, synced
  // drafts, the recipients' suggestion combobox), their panels and lists already loaded after the page.
  "/compose": 203,
  "/outbox": 192,
  "/drafts": 192,
  // Sent and Mailbox: 213.6 → 211.7 and 201.5 → 200.9 KB when their lists' loading rows stopped using Skeleton.
  // 211.7 → 212.7 KB with no change to Sent: when Campaigns and the API reference dropped MUI's TextField,
  // Turbopack regrouped the shared chunks, and Sent's now carry ~1 KB of components it does not render.
  "/sent": 213,
  "/mailbox": 201,
  "/messages/[id]": 210,
  "/mailbox/[id]": 200,
  "/sign-in": 198,
  // Campaigns: 335.4 → 235.0 KB when the template editor (Tiptap) moved behind next/dynamic; 234.9 → 213.8 KB
  // when its two text boxes moved from MUI's TextField to components/ui/text-field.tsx.
  "/campaigns": 214,
  // 244.9 → 225.8 KB when its dropdowns became native selects and its text boxes the light text field.
  "/campaigns/[id]": 226,
  // Settings is a section per address (/settings itself redirects to Senders).
  // Senders: 238.6 → 203.1 KB when its dialogs and the DKIM form (MUI TextField, which brings Select, Menu,
  // Popover and Modal) moved behind next/dynamic.
  "/settings/senders": 203.5,
  // 220.7 → 211.9 KB when its two confirmations (Dialog, Modal) moved behind next/dynamic.
  "/settings/security": 212,
  "/settings/notifications": 207,
  "/settings/appearance": 200,
  "/settings/ai": 200,
  // Sending 227.9 → 208.3 and Automation 237.9 → 220.9 KB when their dropdowns became native selects
  // (components/ui/select-field.tsx) and their text boxes the light text field.
  "/settings/sending": 208.5,
  "/settings/automation": 221,
  // 211.8 → 212.3 KB with no change to Invitations: Turbopack regrouped the chunks it shares with Automation.
  "/settings/invitations": 212.5,
  // API reference: 233.7 → 214.3 KB with components/ui/text-field.tsx instead of MUI's TextField.
  "/settings/api-reference": 214,
};
const SCREENS = Object.keys(BUDGET_KB);

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
  if (!files) {
    // A screen that moved or was renamed must take its budget along, not drop out of the report.
    console.log(`  ${screen.padEnd(24)} no page found`);
    failed = true;
    continue;
  }
  const all = new Set([...buildManifest.rootMainFiles, ...files]);
  const kb = [...all].reduce((sum, f) => sum + gzipSize(f), 0) / 1024;
  const budget = BUDGET_KB[screen];
  const verdict = budget ? ` (budget ${budget} KB: ${kb <= budget ? "ok" : "OVER"})` : " (no budget)";
  if (!budget || kb > budget) failed = true;
  console.log(`  ${screen.padEnd(24)} ${kb.toFixed(1).padStart(7)} KB${verdict}`);
}
console.log(`  goal: ${GOAL_KB} KB on every screen (issue #20)`);
if (failed) {
  console.error("A screen's first-load JavaScript is over its budget (or it has none).");
  process.exit(1);
}
