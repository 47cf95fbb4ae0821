import "server-only";
import { lookup } from "node:dns/promises";
import { BlockList, isIP } from "node:net";
import { env } from "@/lib/env";

// SMTP hosts a user types in must not turn SecureVault into a probe of its own network: every address a
// name resolves to is checked, and the connection then goes to that checked address (no second lookup that
// DNS rebinding could answer differently), with the original name kept for TLS.

export const SMTP_PORTS = [25, 465, 587, 2525];

const blocked = new BlockList();
for (const [net, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const) {
  blocked.addSubnet(net, prefix, "ipv4");
}
for (const [net, prefix] of [
  // ::/96 covers ::, ::1 and the deprecated IPv4-compatible forms (::127.0.0.1); mapped ::ffff:… are
  // checked against the IPv4 list below, whichever way they are written.
  ["::", 96],
  ["fc00::", 7], // unique local
  ["fe80::", 10], // link-local
  ["fec0::", 10], // site-local (deprecated, still routed inside some networks)
  ["ff00::", 8], // multicast
  // Transition prefixes carry an IPv4 address inside: 10.0.0.1 or 127.0.0.1 could hide in any of them.
  ["64:ff9b::", 96], // NAT64, well-known
  ["64:ff9b:1::", 48], // NAT64, local use
  ["2001::", 32], // Teredo
  ["2002::", 16], // 6to4
] as const) {
  blocked.addSubnet(net, prefix, "ipv6");
}

export class UnsafeSmtpTargetError extends Error {
  readonly code = "EUNSAFE";
}

/** Is this address one SecureVault refuses to connect to (loopback, private, link-local, metadata …)? */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return blocked.check(address, "ipv4");
  if (family === 6) {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
    if (mapped) return blocked.check(mapped, "ipv4");
    return blocked.check(address, "ipv6");
  }
  return true; // not an address at all: refuse
}

/** Is `host` (a name, or an address with or without brackets) in a comma-separated list of hosts? */
export function hostListIncludes(list: string | undefined, host: string): boolean {
  const wanted = host.replace(/^\[|\]$/g, "").toLowerCase();
  return (list ?? "").split(",").some((h) => h.trim().toLowerCase() === wanted && wanted !== "");
}

export function isAllowlistedHost(host: string): boolean {
  return hostListIncludes(env.SMTP_ALLOWED_HOSTS, host);
}

export function isPortAllowed(port: number, host: string): boolean {
  return SMTP_PORTS.includes(port) || isAllowlistedHost(host);
}

/** Resolves a user's SMTP host to one checked address, or throws UnsafeSmtpTargetError saying why not. */
export async function resolveSmtpTarget(
  host: string,
  port: number,
): Promise<{ address: string; servername: string }> {
  const name = host.replace(/^\[|\]$/g, "");
  const allowlisted = isAllowlistedHost(name);
  if (!isPortAllowed(port, name)) {
    throw new UnsafeSmtpTargetError(`Port ${port} is not an SMTP port. Use 25, 465, 587 or 2525.`);
  }
  const addresses = isIP(name)
    ? [name]
    : (await lookup(name, { all: true, verbatim: true })).map((a) => a.address);
  if (addresses.length === 0)
    throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${name}`), { code: "EDNS" });
  if (!allowlisted) {
    const bad = addresses.find(isPrivateAddress);
    if (bad) {
      throw new UnsafeSmtpTargetError(
        `${name} points to a private or local address (${bad}); SecureVault only connects to public mail servers.`,
      );
    }
  }
  return { address: addresses[0]!, servername: name };
}
