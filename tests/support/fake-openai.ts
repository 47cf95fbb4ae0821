// A local OpenAI-compatible server for tests: real HTTP and real server-sent events, with scripted answers.
import http from "node:http";
import type { AddressInfo } from "node:net";

export type Script =
  | {
      kind: "stream";
      pieces: string[];
      delayMs?: number;
      usage?: { prompt_tokens: number; completion_tokens: number };
    }
  | { kind: "json"; content: unknown; usage?: { prompt_tokens: number; completion_tokens: number } }
  | { kind: "error"; status: number; message?: string; headers?: Record<string, string> }
  | { kind: "transcript"; text: string }
  | { kind: "hang" };

export type RecordedRequest = {
  body: { model: string; stream?: boolean; messages: { role: string; content: string }[] };
  authorization?: string;
};

export type FakeOpenAI = {
  baseUrl: string;
  requests: RecordedRequest[];
  /** How many streams were cut off by the client before they finished. */
  abortedStreams: () => number;
  next: (...scripts: Script[]) => void;
  close: () => Promise<void>;
};

export async function startFakeOpenAI(
  /** The answer when nothing is scripted; a function chooses per request (e.g. streamed or not). */
  fallback: Script | ((body: RecordedRequest["body"]) => Script) = {
    kind: "json",
    content: { subjects: ["A", "B", "C"] },
  },
  port = 0,
): Promise<FakeOpenAI> {
  const queue: Script[] = [];
  const requests: RecordedRequest[] = [];
  let aborted = 0;

  const server = http.createServer((req, res) => {
    let raw = "";
    req.on("data", (c) => (raw += c));
    req.on("end", async () => {
      // Control endpoints, for tests that drive this server from another process (the e2e suite).
      if (req.url === "/__script") {
        queue.push(...(JSON.parse(raw) as { scripts: Script[] }).scripts);
        res.end("{}");
        return;
      }
      if (req.url === "/__requests") {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify(requests));
        return;
      }
      if (req.url?.endsWith("/audio/transcriptions")) {
        // Multipart upload: record the model field, answer with the scripted transcript.
        const model = /name="model"\r\n\r\n([^\r]*)/.exec(raw)?.[1] ?? "";
        requests.push({ body: { model, messages: [] }, authorization: req.headers.authorization });
        const next = queue.shift();
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ text: next?.kind === "transcript" ? next.text : "" }));
        return;
      }
      const body = JSON.parse(raw || "{}") as RecordedRequest["body"];
      requests.push({ body, authorization: req.headers.authorization });
      const script = queue.shift() ?? (typeof fallback === "function" ? fallback(body) : fallback);
      if (script.kind === "hang") return; // never answers
      if (script.kind === "transcript") throw new Error("a transcript script reached the chat endpoint");
      if (script.kind === "error") {
        res.writeHead(script.status, { "content-type": "application/json", ...script.headers });
        res.end(JSON.stringify({ error: { message: script.message ?? "scripted failure", type: "test" } }));
        return;
      }
      const id = `chatcmpl-${requests.length}`;
      if (script.kind === "json") {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(
          JSON.stringify({
            id,
            object: "chat.completion",
            created: 0,
            model: body.model,
            choices: [
              {
                index: 0,
                finish_reason: "stop",
                message: { role: "assistant", content: JSON.stringify(script.content) },
              },
            ],
            usage: script.usage
              ? { ...script.usage, total_tokens: script.usage.prompt_tokens + script.usage.completion_tokens }
              : undefined,
          }),
        );
        return;
      }
      res.writeHead(200, {
        "content-type": "text/event-stream",
        "cache-control": "no-cache",
        connection: "keep-alive",
      });
      let finished = false;
      res.on("close", () => {
        if (!finished) aborted += 1;
      });
      const chunk = (delta: object, extra: object = {}) =>
        `data: ${JSON.stringify({ id, object: "chat.completion.chunk", created: 0, model: body.model, choices: [{ index: 0, delta, finish_reason: null }], ...extra })}\n\n`;
      for (const piece of script.pieces) {
        if (res.destroyed) return;
        res.write(chunk({ content: piece }));
        await new Promise((r) => setTimeout(r, script.delayMs ?? 5));
      }
      if (script.usage) {
        res.write(
          `data: ${JSON.stringify({ id, object: "chat.completion.chunk", created: 0, model: body.model, choices: [], usage: { ...script.usage, total_tokens: script.usage.prompt_tokens + script.usage.completion_tokens } })}\n\n`,
        );
      }
      res.write("data: [DONE]\n\n");
      finished = true;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    requests,
    abortedStreams: () => aborted,
    next: (...scripts) => queue.push(...scripts),
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** Reads a server-sent-event response into its events. */
export async function readEvents(res: Response): Promise<{ event: string; data: Record<string, unknown> }[]> {
  const text = await res.text();
  return text
    .split("\n\n")
    .filter((block) => block.trim())
    .map((block) => {
      const event = /^event: (.*)$/m.exec(block)?.[1] ?? "message";
      const data = JSON.parse(/^data: (.*)$/m.exec(block)?.[1] ?? "{}") as Record<string, unknown>;
      return { event, data };
    });
}
