import "server-only";
import { ApiError } from "@/lib/api/errors";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * State-changing requests must come from SecureVault's own pages (or from a non-browser client, which sends
 * neither header). Browsers mark cross-site requests with Sec-Fetch-Site and Origin; either one pointing
 * elsewhere is refused. Together with SameSite=Lax cookies and JSON-only bodies this closes CSRF.
 */
export function assertSameOrigin(req: Request): void {
  if (SAFE_METHODS.has(req.method)) return;
  const site = req.headers.get("sec-fetch-site");
  if (site && site !== "same-origin" && site !== "none") throw crossSite();
  const origin = req.headers.get("origin");
  if (!origin) return;
  const host = req.headers.get("x-forwarded-host") ?? req.headers.get("host") ?? new URL(req.url).host;
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    throw crossSite();
  }
  if (originHost !== host) throw crossSite();
}

function crossSite() {
  return new ApiError("forbidden", "This request did not come from SecureVault's own pages.");
}
