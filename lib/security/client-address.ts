import { isIP } from "node:net";
import { env } from "@/lib/env";

/** Set by lib/server/peer-address-hook.mjs from the socket; any client-sent copy is replaced there. */
export const PEER_HEADER = "x-securevault-peer";

type HeaderGetter = (name: string) => string | null | undefined;

/**
 * The client's address for rate limits and the audit log, or null when the request did not come through this
 * server's socket (a route handler called in-process).
 *
 * The hook appends the socket's address to X-Forwarded-For, so the chain's last hop is always true. Each trusted
 * proxy (TRUSTED_PROXY_HOPS, default 0: none) vouches for the hop before it; anything further left was written
 * by the client and is never used. A hop that is not an IP address ends the walk at the last trusted one.
 */
export function clientAddressFrom(
  get: HeaderGetter,
  trustedHops: number = env.TRUSTED_PROXY_HOPS,
): string | null {
  const peer = get(PEER_HEADER)?.trim();
  if (!peer) return null;
  const chain = (get("x-forwarded-for") ?? "")
    .split(",")
    .map((hop) => hop.trim())
    .filter(Boolean);
  if (chain[chain.length - 1] !== peer) return peer;
  let client = peer;
  for (let i = chain.length - 2, hops = trustedHops; i >= 0 && hops > 0; i--, hops--) {
    const hop = chain[i]!;
    if (!isIP(hop)) break;
    client = hop;
  }
  return client;
}
