// An HTTP proxy in front of the app for tests: forwards everything, except that it can answer the next N
// POST /api/messages with a scripted status, and it counts what reached it.
import http from "node:http";
import type { AddressInfo } from "node:net";

export type FlakyProxy = {
  url: string;
  /** The next `count` message posts get `status` (and `body`) instead of reaching the app. */
  failNextPosts: (count: number, status: number, body?: unknown) => void;
  /** From now on /sw.js is served changed, as after a deploy of a new version. */
  changeServiceWorker: () => void;
  /** Idempotency keys of every message post that reached the proxy, in order. */
  postedKeys: string[];
  close: () => Promise<void>;
};

export async function startFlakyProxy(target: string): Promise<FlakyProxy> {
  const upstream = new URL(target);
  let failures: { count: number; status: number; body?: unknown } = { count: 0, status: 503 };
  const postedKeys: string[] = [];
  let swSuffix = "";

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      if (req.method === "POST" && req.url === "/api/messages") {
        try {
          postedKeys.push((JSON.parse(body.toString()) as { idempotencyKey: string }).idempotencyKey);
        } catch {
          postedKeys.push("(unparseable)");
        }
        if (failures.count > 0) {
          failures.count -= 1;
          res.writeHead(failures.status, { "content-type": "application/json" });
          res.end(
            JSON.stringify(
              failures.body ?? { error: { code: "unavailable", message: "Service unavailable" } },
            ),
          );
          return;
        }
      }
      const changeWorker = swSuffix !== "" && req.url?.startsWith("/sw.js");
      // Like a real reverse proxy: the app sees where the browser connected through X-Forwarded-Host.
      const headers = { ...req.headers, host: upstream.host, "x-forwarded-host": req.headers.host };
      if (changeWorker) {
        // Ask for the full, uncompressed script (no 304) so it can be changed.
        headers["accept-encoding"] = "identity";
        delete headers["if-none-match"];
        delete headers["if-modified-since"];
      }
      const forward = http.request(
        { host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers },
        (upstreamRes) => {
          if (!changeWorker) {
            res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
            upstreamRes.pipe(res);
            return;
          }
          const parts: Buffer[] = [];
          upstreamRes.on("data", (c: Buffer) => parts.push(c));
          upstreamRes.on("end", () => {
            const changed = Buffer.concat([...parts, Buffer.from(swSuffix)]);
            const { "content-length": _length, etag: _etag, ...rest } = upstreamRes.headers;
            res.writeHead(upstreamRes.statusCode ?? 502, {
              ...rest,
              "content-length": String(changed.length),
            });
            res.end(changed);
          });
        },
      );
      forward.on("error", () => {
        res.writeHead(502);
        res.end();
      });
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    failNextPosts: (count, status, body) => {
      failures = { count, status, body };
    },
    changeServiceWorker: () => {
      swSuffix = `\n// version ${Date.now()}\n`;
    },
    postedKeys,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
