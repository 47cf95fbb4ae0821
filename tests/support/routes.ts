// Finds every API route handler on disk, so tables keyed by route (authorization matrix, fuzz) cannot miss one.
import fs from "node:fs";
import path from "node:path";

export const HTTP_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

type RouteHandler = (req: Request, ctx: { params: Promise<Record<string, unknown>> }) => Promise<Response>;

export type DiscoveredRoute = {
  /** "/api/senders/[id]/test" — the route as Next.js names it. */
  path: string;
  method: HttpMethod;
  file: string;
  /** Dynamic segments in order: "id", or "...nextauth" for a catch-all. */
  params: string[];
  load: () => Promise<RouteHandler>;
};

const apiDir = path.resolve("app/api");
const exportPattern = new RegExp(
  String.raw`export\s+(?:const|(?:async\s+)?function)\s+(${HTTP_METHODS.join("|")})\b`,
  "g",
);

export function discoverApiRoutes(): DiscoveredRoute[] {
  const routes: DiscoveredRoute[] = [];
  for (const file of walk(apiDir).filter((f) => /\/route\.(ts|tsx|js|mjs)$/.test(f))) {
    const rel = path.relative(path.resolve("app"), path.dirname(file)).split(path.sep);
    const routePath = "/" + rel.filter((s) => !/^\(.*\)$/.test(s)).join("/");
    const params = rel.filter((s) => /^\[.*\]$/.test(s)).map((s) => s.replace(/^\[+|\]+$/g, ""));
    const source = fs.readFileSync(file, "utf8");
    for (const [, method] of source.matchAll(exportPattern)) {
      routes.push({
        path: routePath,
        method: method as HttpMethod,
        file: path.relative(process.cwd(), file),
        params,
        load: async () => (await import(file))[method!] as RouteHandler,
      });
    }
  }
  return routes.sort((a, b) => `${a.path} ${a.method}`.localeCompare(`${b.path} ${b.method}`));
}

export const routeKey = (r: { path: string; method: string }) => `${r.method} ${r.path}`;

/** Replaces [id] segments with values, for the request URL. */
export function concretePath(routePath: string, values: Record<string, string | string[]>): string {
  return routePath.replace(/\[(?:\.\.\.)?([^\]]+)\]/g, (_m, name: string) => {
    const v = values[name];
    return Array.isArray(v) ? v.join("/") : encodeURIComponent(v ?? "x");
  });
}

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? walk(full) : [full];
  });
}
