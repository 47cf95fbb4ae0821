// GET /api/account/export streams: an account with far more mail than the memory budget exports with the
// server's RSS growing by less than 100 MB, and other requests are answered while the zip is still going out.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

vi.hoisted(() => {
  process.env.EXPORT_RATE_LIMIT = "100";
});

import { randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { finished, pipeline } from "node:stream/promises";
import { unzipSync } from "fflate";
import { GET as exportRoute } from "@/app/api/account/export/route";
import { GET as healthRoute } from "@/app/api/health/route";
import { db } from "@/lib/db/client";
import { signUpUser, type TestUser } from "@/tests/support/api";

const MAIL_COUNT = 1200;
const MAIL_BYTES = 100 * 1024; // 1200 × 100 KB ≈ 117 MB of mail: more than the whole memory budget
const MB = 1024 * 1024;

let user: TestUser;
let server: http.Server;
let origin: string;

// The route handlers behind a real HTTP server in this process, so the export and /api/health share one
// event loop and the export's body goes out at the pace the client reads it.
beforeAll(async () => {
  user = await signUpUser();
  await insertMail(user.id);
  server = http.createServer((req, res) => {
    const handler = req.url === "/api/health" ? () => Promise.resolve(healthRoute()) : exportRoute;
    const request = new Request(`http://localhost${req.url}`, {
      headers: { cookie: req.headers.cookie ?? "" },
    });
    void handler(request, { params: Promise.resolve({}) }).then(async (response) => {
      res.writeHead(response.status, Object.fromEntries(response.headers));
      if (!response.body) return res.end();
      await pipeline(Readable.fromWeb(response.body as never), res).catch(() => undefined);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 300_000);

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

async function insertMail(userId: string) {
  // Mail-like text: lines of words, different in every message (so nothing is shared between entries).
  const words = Array.from({ length: 2000 }, () => randomBytes(4).toString("hex"));
  const batch = 50;
  for (let at = 0; at < MAIL_COUNT; at += batch) {
    await db.sandboxMail.createMany({
      data: Array.from({ length: batch }, (_, i) => {
        const n = at + i;
        const head = `Subject: Mail ${n}\r\nMessage-ID: <${n}@test>\r\n\r\n`;
        let body = head;
        let w = n * 7;
        while (body.length < MAIL_BYTES) {
          body += `${words[w++ % words.length]} ${words[(w * 31) % words.length]}${w % 12 === 0 ? "\r\n" : " "}`;
        }
        const raw = Buffer.from(body.slice(0, MAIL_BYTES), "latin1");
        return {
          userId,
          envelopeFrom: "a@example.com",
          envelopeTo: [],
          subject: `Mail ${n}`,
          raw,
          size: raw.length,
        };
      }),
    });
  }
}

function get(path: string): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) =>
    http.get(`${origin}${path}`, { headers: { cookie: user.cookie } }, resolve).on("error", reject),
  );
}

describe("account export at volume", () => {
  it(
    "streams ~117 MB of mail with RSS growth under 100 MB, answering /api/health meanwhile",
    { timeout: 300_000 },
    async () => {
      const baseline = process.memoryUsage().rss;
      let peak = baseline;
      const sample = () => (peak = Math.max(peak, process.memoryUsage().rss));
      const sampler = setInterval(sample, 10);

      // The client writes the archive to disk as it arrives and checks it afterwards through its central
      // directory, as unzip tools do. (fflate's streaming Unzip finds the end of an entry written with a data
      // descriptor by scanning for the descriptor's signature, which compressed bytes contain by chance in a
      // few runs out of a hundred; a reader that trusts that cuts an entry short.)
      const dir = await mkdtemp(path.join(tmpdir(), "export-"));
      const zipPath = path.join(dir, "export.zip");
      const file = createWriteStream(zipPath);

      const res = await get("/api/account/export");
      expect(res.statusCode).toBe(200);
      expect(res.headers["content-type"]).toBe("application/zip");

      let exportEnded = false;
      let received = 0;
      let health: Promise<{ status: number; duringExport: boolean }> | null = null;
      for await (const chunk of res) {
        received += (chunk as Buffer).byteLength;
        if (!file.write(chunk)) await new Promise<void>((resolve) => file.once("drain", () => resolve()));
        sample();
        // Once the export is well under way, another request comes in.
        if (!health && received > 5 * MB) {
          health = get("/api/health").then(async (h) => {
            for await (const _ of h) void _;
            return { status: h.statusCode ?? 0, duringExport: !exportEnded };
          });
        }
      }
      exportEnded = true;
      clearInterval(sampler);
      file.end();
      await finished(file);

      const entries = Object.entries(unzipSync(new Uint8Array(await readFile(zipPath))));
      await rm(dir, { recursive: true, force: true });
      const mail = entries.filter(([name]) => name.startsWith("mailbox/"));
      expect(mail).toHaveLength(MAIL_COUNT);
      expect(mail.reduce((sum, [, data]) => sum + data.byteLength, 0)).toBe(MAIL_COUNT * MAIL_BYTES);
      expect(health).not.toBeNull();
      expect(await health).toEqual({ status: 200, duringExport: true });
      const growthMb = (peak - baseline) / MB;
      console.log(`export: ${(received / MB).toFixed(1)} MB zip, RSS growth ${growthMb.toFixed(1)} MB`);
      expect(growthMb).toBeLessThan(100);
    },
  );
});
