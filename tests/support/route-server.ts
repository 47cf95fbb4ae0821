// Serves one route handler over real HTTP on loopback, with the production peer-address hook loaded: the way to
// test what depends on the socket (client addresses, bodies refused while the client is still sending).
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import { NextRequest } from "next/server";
import "@/lib/server/peer-address-hook.mjs";
import { requestScope } from "@/tests/support/next-request-scope";

type RouteHandler<P> = (req: Request, ctx: { params: Promise<P> }) => Promise<Response>;

export type RouteServer = { url: string; close: () => Promise<void> };

/** `handlers` by method (a route module's exports); `params` gives a request's dynamic segments. */
export async function serveRoute<P>(
  handlers: Partial<Record<string, RouteHandler<P>>>,
  params: (url: URL) => P,
): Promise<RouteServer> {
  const server = http.createServer((req, res) => {
    void answer(req, res).catch((error: Error) => {
      res.statusCode = 599; // the harness failed, not the route: no test expects this status
      res.end(error.message);
    });
  });
  const answer = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
    }
    const hasBody = req.method !== "GET" && req.method !== "HEAD";
    const url = new URL(`http://127.0.0.1${req.url}`);
    const handler = handlers[req.method ?? "GET"];
    if (!handler) {
      res.statusCode = 405;
      res.end();
      return;
    }
    const request = new NextRequest(url, {
      method: req.method,
      headers,
      body: hasBody ? (Readable.toWeb(req) as ReadableStream<Uint8Array>) : undefined,
      duplex: "half",
    } as ConstructorParameters<typeof NextRequest>[1]);
    const response = await requestScope.run(headers, () =>
      handler(request, { params: Promise.resolve(params(url)) }),
    );
    res.statusCode = response.status;
    response.headers.forEach((value, name) => {
      if (name !== "set-cookie") res.setHeader(name, value);
    });
    res.setHeader("set-cookie", response.headers.getSetCookie());
    res.end(Buffer.from(await response.arrayBuffer()));
  };
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** One request from a chosen loopback address (127.0.0.2, 127.0.0.3 … act as different clients). */
export function requestFrom(
  localAddress: string,
  url: string,
  {
    method = "POST",
    headers = {},
    body,
  }: { method?: string; headers?: Record<string, string>; body?: string },
): Promise<{ status: number; headers: http.IncomingHttpHeaders; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers, localAddress, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () =>
        resolve({ status: res.statusCode!, headers: res.headers, text: Buffer.concat(chunks).toString() }),
      );
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
}
