import { spawn, type ChildProcess } from "node:child_process";
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, expect, it } from "vitest";
import { POST as createSender } from "@/app/api/senders/route";
import { db } from "@/lib/db/client";
import { workerNodeArgs } from "@/lib/delivery/worker-command";
import { callRoute, signUpUser } from "@/tests/support/api";
import { queueBulkMessages } from "@/tests/support/bulk-queue";

const TOTAL = 2000;
const received = new Map<string, number>(); // Message-ID → copies
let smtp: SMTPServer;
let port: number;

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    allowInsecureAuth: true,
    onAuth: (_a, _s, cb) => cb(null, { user: "worker" }),
    disableReverseLookup: true,
    logger: false,
    onData(stream, _session, cb) {
      let head = "";
      stream.on("data", (c: Buffer) => {
        if (head.length < 4096) head += c.toString("latin1");
      });
      stream.on("end", () => {
        const id = /^Message-ID:\s*(<[^>]+>)/im.exec(head)?.[1] ?? "(none)";
        received.set(id, (received.get(id) ?? 0) + 1);
        cb();
      });
    },
  });
  // The killed worker's connections are reset mid-conversation: expected here, not a failure of the server.
  smtp.on("error", () => undefined);
  await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
  port = (smtp.server.address() as AddressInfo).port;
});

afterAll(() => new Promise<void>((resolve) => smtp.close(() => resolve())));

function startWorker(): ChildProcess {
  return spawn(
    process.execPath,
    // As `npm run worker` runs it: one process (node with tsx's loader), so a SIGKILL reaches the worker itself.
    [...workerNodeArgs],
    {
      env: {
        ...process.env,
        DELIVERY_LEASE_MS: "3000",
        DELIVERY_POLL_MS: "100",
        DELIVERY_CONCURRENCY: "5",
        WORKER_METRICS_PORT: "0",
        LOG_LEVEL: "silent",
      },
      stdio: "ignore",
    },
  );
}

async function until(condition: () => Promise<boolean> | boolean, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 50));
  }
}

it(`a worker killed with SIGKILL mid-run loses nothing: all ${TOTAL} delivered, repeats only for messages in flight`, async () => {
  const user = await signUpUser();
  const created = await callRoute(createSender, {
    method: "POST",
    user,
    json: {
      preset: "custom",
      fromEmail: "bulk@acme.test",
      host: "127.0.0.1",
      port,
      security: "none",
      password: "pw",
    },
  });
  const senderId = (await created.json()).sender.id as string;
  await queueBulkMessages({
    userId: user.id,
    senderId,
    fromEmail: "bulk@acme.test",
    count: TOTAL,
    tag: "crash",
  });

  const first = startWorker();
  await until(() => [...received.values()].reduce((a, b) => a + b, 0) >= TOTAL / 4, 60_000);
  first.kill("SIGKILL");
  await new Promise((r) => first.once("exit", r));
  const inFlight = await db.message.count({ where: { userId: user.id, status: "sending" } });

  const second = startWorker();
  try {
    await until(
      async () => (await db.message.count({ where: { userId: user.id, status: "sent" } })) === TOTAL,
      90_000,
    );
  } finally {
    second.kill("SIGTERM");
    await new Promise((r) => second.once("exit", r));
  }

  const copies = [...received.values()].reduce((a, b) => a + b, 0);
  const lost = TOTAL - received.size;
  const duplicates = copies - received.size;
  console.log(
    `crash test: ${TOTAL} queued, killed with ${inFlight} in flight; delivered ${received.size} distinct, lost ${lost}, duplicates ${duplicates}`,
  );
  expect(lost).toBe(0);
  expect(duplicates).toBeLessThanOrEqual(inFlight);
  // A repeat carries the Message-ID made at enqueue, so the receiver can tell it is the same message.
  expect([...received.keys()].every((id) => id.startsWith("<crash-"))).toBe(true);
  // Each message the dead worker held says on its timeline that an attempt was cut short and tried again.
  const interrupted = await db.messageEvent.count({
    where: { type: "interrupted", message: { userId: user.id } },
  });
  expect(interrupted).toBe(inFlight);
}, 180_000);
