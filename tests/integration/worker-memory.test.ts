import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import { afterAll, beforeAll, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { newTimeOrderedId } from "@/lib/db/ids";
import { workerNodeArgs } from "@/lib/delivery/worker-command";
import { env } from "@/lib/env";
import { insertMessage } from "@/lib/messages/insert-batcher";
import { createSender } from "@/lib/senders/senders";
import { signUpUser } from "@/tests/support/api";
import { startSmtpSink } from "@/tests/support/smtp-sink";

// A standalone worker runs with a fixed heap (lib/delivery/worker-command.ts). Its budget of message bodies
// in flight (DELIVERY_MAX_IN_FLIGHT_MB) is what keeps large messages inside that heap: a queue of the largest
// bodies — in characters that take two bytes each in memory — must go out without the worker running out of
// memory.
const MESSAGES = 12;
const CHARS = 1_000_000; // about 3 MB of UTF-8 each, within the 5 MB the API accepts
let sink: Awaited<ReturnType<typeof startSmtpSink>>;
let worker: ChildProcess | undefined;

beforeAll(async () => {
  sink = await startSmtpSink();
});

afterAll(async () => {
  worker?.kill("SIGKILL");
  await sink.close();
});

it(
  `a worker with its standard heap sends ${MESSAGES} messages of ${CHARS.toLocaleString("en")} two-byte characters`,
  { timeout: 120_000 },
  async () => {
    const user = await signUpUser("Large Bodies");
    const sender = await createSender(user.id, {
      preset: "custom",
      fromEmail: "big@acme.test",
      host: "127.0.0.1",
      port: sink.port,
      security: "none",
      password: "unused",
    });
    const html = `<p>${"文字".repeat(CHARS / 2)}</p>`;
    const now = new Date();
    await Promise.all(
      Array.from({ length: MESSAGES }, (_, i) =>
        insertMessage({
          id: newTimeOrderedId(),
          userId: user.id,
          senderId: sender.id,
          idempotencyKey: randomUUID(),
          requestHash: "h",
          messageIdHeader: `<large-${i}-${randomUUID()}@acme.test>`,
          fromName: null,
          fromEmail: "big@acme.test",
          to: [{ address: `r${i}@example.com` }],
          cc: [],
          bcc: [],
          recipientCount: 1,
          subject: `Large ${i}`,
          html,
          searchText: "large",
          status: "queued",
          attempts: 0,
          nextAttemptAt: now,
          sendAt: null,
          createdAt: now,
        }),
      ),
    );

    let exit: string | null = null;
    worker = spawn(process.execPath, [...workerNodeArgs], {
      env: { ...process.env, DELIVERY_POLL_MS: "100", WORKER_METRICS_PORT: "0", LOG_LEVEL: "silent" },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    worker.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    worker.once("exit", (code, signal) => (exit = `${code ?? signal}`));
    let peakRssMb = 0;
    const deadline = Date.now() + 100_000;
    while ((await db.message.count({ where: { userId: user.id, status: "sent" } })) < MESSAGES) {
      if (exit !== null)
        throw new Error(`the worker exited (${exit}) before sending everything:\n${stderr.slice(-2000)}`);
      if (Date.now() > deadline) throw new Error("the large messages were not all sent in time");
      // A process that has just exited has no memory figures left: the next turn reports its exit.
      const peak = /VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${worker.pid}/status`, "utf8"));
      if (peak) peakRssMb = Math.max(peakRssMb, Number(peak[1]) / 1024);
      await new Promise((r) => setTimeout(r, 200));
    }
    console.log(
      `worker memory: ${MESSAGES} bodies of ${CHARS.toLocaleString("en")} characters sent with a budget of ` +
        `${env.DELIVERY_MAX_IN_FLIGHT_MB} million characters in flight; worker peak RSS ${peakRssMb.toFixed(0)} MB`,
    );
    expect(exit).toBeNull();
    expect(sink.stats().uniqueIds).toBe(MESSAGES);
  },
);

it("a worker whose body budget its heap cannot hold refuses to start, saying what to change", async () => {
  const child = spawn(process.execPath, [...workerNodeArgs], {
    env: { ...process.env, DELIVERY_MAX_IN_FLIGHT_MB: "64", WORKER_METRICS_PORT: "0", LOG_LEVEL: "info" },
    stdio: ["ignore", "pipe", "ignore"],
  });
  let out = "";
  child.stdout!.on("data", (chunk: Buffer) => (out += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  expect(code).toBe(1);
  expect(out).toMatch(/DELIVERY_MAX_IN_FLIGHT_MB=64 needs a heap of \d+ MB/);
});
