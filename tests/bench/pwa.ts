// npm run bench:pwa — Lighthouse in its default mobile mode (a mid-range phone on a slow 4G connection,
// simulated) against the production build: /sign-in signed out, /compose and /sent signed in. Prints each
// page's figures and the element Lighthouse took as the largest paint, then one JSON line with the worst
// figure of each kind over the pages (so no page hides behind another). Targets: LCP ≤ 2.5 s, CLS ≤ 0.05,
// TBT ≤ 200 ms.
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { promisify } from "node:util";
import * as chromeLauncher from "chrome-launcher";
import type { Result as LighthouseResult } from "lighthouse";
import { chromiumLaunch } from "../../playwright.config";
import { benchPortFromEnv, signInCookie, startBenchServer } from "./server";

const PORT = benchPortFromEnv();
const PAGES: { path: string; signedIn: boolean }[] = [
  { path: "/sign-in", signedIn: false },
  { path: "/compose", signedIn: true },
  { path: "/sent", signedIn: true },
];
const TARGETS = { lcpMs: 2500, cls: 0.05, tbtMs: 200 };

type Figures = { lcpMs: number; cls: number; tbtMs: number; score: number };

async function main() {
  const server = await startBenchServer(PORT, { DELIVERY_WORKER_ENABLED: "false" });
  const chrome = await chromeLauncher.launch({
    chromePath: chromiumLaunch.executablePath,
    chromeFlags: ["--headless=new", ...chromiumLaunch.args],
  });
  try {
    const cookie = await signInCookie(
      server.baseUrl,
      `pwa-${randomUUID().slice(0, 8)}@example.com`,
      "benchmark password 1",
    );
    const results: Figures[] = [];
    for (const { path, signedIn } of PAGES) {
      // Once unmeasured, so the server has compiled nothing lazily and the figures are the page's own.
      await fetch(`${server.baseUrl}${path}`, { headers: signedIn ? { cookie } : {} });
      const lhr = await runLighthouse(`${server.baseUrl}${path}`, chrome.port, signedIn ? { cookie } : {});
      const { audits, categories, finalDisplayedUrl, runtimeError } = lhr;
      if (runtimeError) throw new Error(`Lighthouse failed on ${path}: ${runtimeError.message}`);
      if (new URL(finalDisplayedUrl).pathname !== path) {
        throw new Error(`${path} ended on ${finalDisplayedUrl}: not the page meant to be measured`);
      }
      const figures: Figures = {
        lcpMs: Math.round(audits["largest-contentful-paint"]!.numericValue ?? NaN),
        cls: Number((audits["cumulative-layout-shift"]!.numericValue ?? NaN).toFixed(3)),
        tbtMs: Math.round(audits["total-blocking-time"]!.numericValue ?? NaN),
        score: Math.round((categories.performance!.score ?? 0) * 100),
      };
      results.push(figures);
      console.log(
        `${path.padEnd(9)} score ${figures.score}, LCP ${figures.lcpMs} ms, CLS ${figures.cls}, TBT ${figures.tbtMs} ms; largest paint: ${lcpElement(audits)}${figures.cls > 0 ? `; largest shift: ${largestShift(audits)}` : ""}`,
      );
      console.log(`          busiest scripts: ${busiestScripts(audits)}`);
    }
    const worst: Figures = {
      lcpMs: Math.max(...results.map((r) => r.lcpMs)),
      cls: Math.max(...results.map((r) => r.cls)),
      tbtMs: Math.max(...results.map((r) => r.tbtMs)),
      score: Math.min(...results.map((r) => r.score)),
    };
    const verdict = (met: boolean) => (met ? "met" : "MISSED");
    console.log(
      `targets: LCP ≤ ${TARGETS.lcpMs} ms ${verdict(worst.lcpMs <= TARGETS.lcpMs)}; CLS ≤ ${TARGETS.cls} ${verdict(worst.cls <= TARGETS.cls)}; TBT ≤ ${TARGETS.tbtMs} ms ${verdict(worst.tbtMs <= TARGETS.tbtMs)}`,
    );
    console.log(JSON.stringify({ bench: "pwa", ...worst }));
  } finally {
    chrome.kill();
    await server.stop();
  }
}

/**
 * Runs Lighthouse's own command line in a plain node process: it sends functions to the page as source text, and
 * the helpers tsx adds to compiled functions (__name) do not exist there.
 */
async function runLighthouse(
  url: string,
  port: number,
  headers: Record<string, string>,
): Promise<LighthouseResult> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [
      "node_modules/lighthouse/cli/index.js",
      url,
      `--port=${port}`,
      "--only-categories=performance",
      "--output=json",
      "--output-path=stdout",
      "--quiet",
      `--extra-headers=${JSON.stringify(headers)}`,
    ],
    { maxBuffer: 256 * 1024 * 1024 },
  );
  return JSON.parse(stdout) as LighthouseResult;
}

/** The text Lighthouse gives for the largest-paint element (its selector and a snippet), for finding causes. */
function lcpElement(audits: Record<string, { details?: unknown }>): string {
  const details = audits["largest-contentful-paint-element"]?.details as
    { items?: { items?: { node?: { selector?: string; snippet?: string } }[] }[] } | undefined;
  const node = details?.items?.[0]?.items?.[0]?.node;
  return node ? `${node.selector ?? "?"} ${node.snippet ?? ""}`.trim() : "unknown";
}

/** The scripts that kept the main thread busiest (Lighthouse's "bootup-time" audit), for finding TBT's causes. */
function busiestScripts(audits: Record<string, { details?: unknown }>): string {
  const details = audits["bootup-time"]?.details as
    { items?: { url?: string; scripting?: number; scriptParseCompile?: number }[] } | undefined;
  return (details?.items ?? [])
    .slice(0, 4)
    .map(
      (i) =>
        `${(i.url ?? "?").replace(/^https?:\/\/[^/]+/, "")} ${Math.round((i.scripting ?? 0) + (i.scriptParseCompile ?? 0))} ms`,
    )
    .join(", ");
}

/** The element of the largest layout shift (Lighthouse's "layout-shifts" audit), for finding causes. */
function largestShift(audits: Record<string, { details?: unknown }>): string {
  const details = audits["layout-shifts"]?.details as
    { items?: { score?: number; node?: { selector?: string; snippet?: string } }[] } | undefined;
  const item = details?.items?.[0];
  return item?.node
    ? `${item.score?.toFixed(3)} ${item.node.selector ?? "?"} ${item.node.snippet ?? ""}`
    : "unknown";
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
