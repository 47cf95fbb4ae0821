// Which address the limits and the audit log see (issue 21, item 2): the socket's, unless trusted proxies vouch.
import { describe, expect, it } from "vitest";
import { markPeer, PEER_HEADER as HOOK_PEER_HEADER } from "@/lib/server/peer-address-hook.mjs";
import { clientAddressFrom, PEER_HEADER } from "@/lib/security/client-address";

/** What a route handler sees: the request as sent, after the server's hook has seen the socket. */
function seenBehind(remoteAddress: string | undefined, sent: Record<string, string>, hops: number) {
  const headers: Record<string, string | string[] | undefined> = { ...sent };
  markPeer(headers, remoteAddress);
  return clientAddressFrom((name) => headers[name] as string | undefined, hops);
}

describe("client address", () => {
  it("is named the same by the hook and by the module that reads it", () => {
    expect(HOOK_PEER_HEADER).toBe(PEER_HEADER);
  });

  it.each([
    // remote address, headers the client (or proxies) sent, trusted hops, client address used
    ["198.51.100.1", {}, 0, "198.51.100.1"],
    ["198.51.100.1", { "x-forwarded-for": "203.0.113.9" }, 0, "198.51.100.1"],
    ["198.51.100.1", { "x-securevault-peer": "203.0.113.9" }, 0, "198.51.100.1"],
    ["::ffff:198.51.100.1", {}, 0, "198.51.100.1"],
    ["2001:db8::1", { "x-forwarded-for": "::1" }, 0, "2001:db8::1"],
    // One proxy in front: the hop it appended is the client; what the client wrote before it is not.
    ["10.0.0.2", { "x-forwarded-for": "203.0.113.9" }, 1, "203.0.113.9"],
    ["10.0.0.2", { "x-forwarded-for": "1.1.1.1, 203.0.113.9" }, 1, "203.0.113.9"],
    ["10.0.0.3", { "x-forwarded-for": "1.1.1.1, 203.0.113.9, 10.0.0.2" }, 2, "203.0.113.9"],
    // A trusted proxy that sent no header: its own address is all there is.
    ["10.0.0.2", {}, 1, "10.0.0.2"],
    // A hop that is not an address stops the walk at the last trusted one.
    ["10.0.0.2", { "x-forwarded-for": "evil" }, 1, "10.0.0.2"],
    [undefined, {}, 0, "unknown"],
  ] as const)("socket %s with %j and %i trusted hops → %s", (remote, sent, hops, expected) => {
    expect(seenBehind(remote, sent, hops)).toBe(expected);
  });

  it("is unknown (null) for a request that never passed the hook", () => {
    expect(clientAddressFrom((name) => ({ "x-forwarded-for": "203.0.113.9" })[name], 1)).toBeNull();
  });
});
