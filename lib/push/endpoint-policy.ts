import "server-only";
import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { isIP, type LookupFunction } from "node:net";
import { env } from "@/lib/env";
import { isPrivateAddress } from "@/lib/mail/host-guard";

// Push endpoints come from the browser, which is to say from the user: SecureVault must not become a way to
// POST into its own network. Real push services are public https hosts. A push service on loopback over plain
// http is accepted only with PUSH_ALLOW_LOOPBACK (the end-to-end tests run one).

/** Why this endpoint cannot be used, in words for the API's field error; null when it can. */
export function endpointProblem(endpoint: string): string | null {
  const url = new URL(endpoint);
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (url.username || url.password) return "The endpoint must not carry a user name or password.";
  if (isLoopbackHost(host)) {
    return env.PUSH_ALLOW_LOOPBACK
      ? null
      : "That endpoint is on this machine; push endpoints are on the browser's push service.";
  }
  if (url.protocol !== "https:") return "The endpoint must be an https URL.";
  if (isIP(host) && isPrivateAddress(host)) return "That endpoint is a private address.";
  return null;
}

export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, "").toLowerCase();
  return bare === "localhost" || bare === "::1" || (isIP(bare) === 4 && bare.startsWith("127."));
}

/** May a push request connect to this resolved address? */
export function isAllowedPushAddress(address: string): boolean {
  if (!isPrivateAddress(address)) return true;
  return env.PUSH_ALLOW_LOOPBACK && isLoopbackHost(address);
}

export class BlockedPushTargetError extends Error {
  readonly code = "EUNSAFE";
}

/**
 * A DNS lookup for http(s).request that refuses private addresses, so the connection goes only to an address
 * that was checked (a name cannot resolve to a public address for the check and a private one for the send).
 */
export const checkedLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
    if (error) return callback(error, "", 0);
    const blocked = addresses.find((a) => !isAllowedPushAddress(a.address));
    if (blocked || addresses.length === 0) {
      return callback(new BlockedPushTargetError(`${hostname} resolves to a private address`), "", 0);
    }
    if (options.all) return callback(null, addresses);
    callback(null, addresses[0]!.address, addresses[0]!.family);
  });
};
