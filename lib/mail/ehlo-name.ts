// The name we greet SMTP servers with (EHLO/HELO). RFC 5321 §4.1.1.1 wants our fully qualified domain name;
// strict servers (Postfix with reject_non_fqdn_helo_hostname, many spam filters) refuse a bare host name, and
// an address literal like [127.0.0.1] marks the client as misconfigured. So: an admin's explicit choice, else
// the public host of the app, else the machine's name when it is qualified, else a name that is at least
// well formed.

import net from "node:net";

export const FALLBACK_EHLO_NAME = "localhost.localdomain";

export function ehloName(sources: { configured?: string; appUrl?: string; hostname?: string }): string {
  const configured = sources.configured?.trim();
  if (configured) return configured;
  const appHost = hostOf(sources.appUrl);
  if (appHost && isQualifiedName(appHost)) return appHost;
  const hostname = sources.hostname?.trim().toLowerCase();
  if (hostname && isQualifiedName(hostname)) return hostname;
  return FALLBACK_EHLO_NAME;
}

function hostOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return undefined;
  }
}

/** A dotted DNS name that is not an address and not a local-only name. */
function isQualifiedName(host: string): boolean {
  if (net.isIP(host.replace(/^\[|\]$/g, ""))) return false;
  if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+\.?$/.test(host)) return false;
  return !/\.(localhost|local)\.?$/.test(host) && host !== "localhost";
}
