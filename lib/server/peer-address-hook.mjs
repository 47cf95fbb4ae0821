// Preloaded into the web server process (`node --import ./lib/server/peer-address-hook.mjs`, see
// lib/server/start.ts and the Dockerfile): the one place that sees each request's socket, which Next.js route
// handlers never do. Before the server's request handler runs, it drops any client-sent X-SecureVault-Peer and
// sets it to the socket's address, and appends that address to X-Forwarded-For as a proxy would. The last hop
// of X-Forwarded-For is then always one this server saw itself; lib/security/client-address.ts decides how many
// hops before it to trust (TRUSTED_PROXY_HOPS). Plain JavaScript: node loads it before tsx or Next.js.
import { subscribe } from "node:diagnostics_channel";

export const PEER_HEADER = "x-securevault-peer";

// Published synchronously for every request of every node:http server, before its "request" event.
subscribe("http.server.request.start", ({ request, socket }) => {
  markPeer(request.headers, socket.remoteAddress);
});

/** Rewrites a Node request's headers: the socket address becomes the peer and the last forwarded hop. */
export function markPeer(headers, remoteAddress) {
  // A socket that closed before the request was parsed has no address: nothing here can be trusted.
  const peer = normalize(remoteAddress ?? "unknown");
  const forwarded = headers["x-forwarded-for"];
  const chain = Array.isArray(forwarded) ? forwarded.join(", ") : forwarded;
  headers["x-forwarded-for"] = chain && chain.trim() ? `${chain}, ${peer}` : peer;
  headers[PEER_HEADER] = peer;
}

// An IPv4 client on a dual-stack socket shows as ::ffff:a.b.c.d; it is the same client as a.b.c.d.
function normalize(address) {
  return address.startsWith("::ffff:") && address.includes(".") ? address.slice(7) : address;
}
