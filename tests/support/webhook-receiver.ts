// A local HTTP receiver for webhook tests and the webhook bench: records every request and answers as told.
import http from "node:http";
import type { AddressInfo } from "node:net";

export type ReceivedRequest = { headers: http.IncomingHttpHeaders; body: string; at: number };
export type Reply = {
  status: number;
  headers?: Record<string, string>;
  body?: string;
  hang?: boolean;
  bigBody?: number;
};

export type WebhookReceiver = {
  url: string;
  received: ReceivedRequest[];
  /** What to answer next (called once per request); 204 when unset. */
  reply: (req: ReceivedRequest) => Reply;
  close: () => Promise<void>;
};

export async function startWebhookReceiver(path = "/hook"): Promise<WebhookReceiver> {
  const receiver: WebhookReceiver = {
    url: "",
    received: [],
    reply: () => ({ status: 204 }),
    close: async () => undefined,
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const got = { headers: req.headers, body: Buffer.concat(chunks).toString("utf8"), at: Date.now() };
      receiver.received.push(got);
      const reply = receiver.reply(got);
      if (reply.hang) return;
      res.writeHead(reply.status, reply.headers);
      if (reply.bigBody) {
        const chunk = Buffer.alloc(16 * 1024, "x");
        let sent = 0;
        const pump = () => {
          while (sent < reply.bigBody! && res.write(chunk)) sent += chunk.length;
          if (sent < reply.bigBody!) res.once("drain", pump);
          else res.end();
        };
        res.on("error", () => undefined);
        pump();
        return;
      }
      res.end(reply.body ?? "");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`;
  receiver.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return receiver;
}
