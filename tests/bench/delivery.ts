// npm run bench:delivery — the delivery engine end to end: N messages queued in the database are drained into
// a loopback SMTP server (a minimal sink in a child process, so its CPU is not charged to us) with their
// statuses stored, by the real worker in a process of its own (started as `npm run worker` starts it, so its
// speed, CPU and memory are its own); in the same run a default nodemailer pool (5 connections, sendMail
// building each message) sends messages like them into the same sink: the baseline. Then a fresh worker drains
// a long queue (BENCH_LONG_QUEUE, 100,000) and its peak RSS is read. Last, isolation: one sender's server
// stalls (60 s before each reply) with a queue longer than the worker's slots, while the user's Sandbox sender
// gets a steady stream of messages; their time from queued to sent is measured. Targets: ≥ 1,500 msg/s with 5
// connections, ≥ 10× the baseline, 100,000 drained with peak RSS ≤ 300 MB, Sandbox messages sent at p99 ≤ 2 s
// beside the stalled sender. Then 200 messages, each with a 5 MB file of its own, are drained by a fresh worker:
// peak RSS ≤ 300 MB (attachmentPeakRssMb). The last line is one JSON object with the figures.
import { startScriptedSmtp } from "@/tests/support/scripted-smtp";
import { askSink, startSinkProcess } from "@/tests/support/smtp-sink-process";
import {
  killWorkerProcesses,
  procCpuSeconds,
  procStatus,
  startWorkerProcess,
  stopWorkerProcess,
} from "@/tests/bench/worker-process";
import type { ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const N = Number(process.env.BENCH_MESSAGES ?? 50_000);
const BASELINE_N = Number(process.env.BENCH_BASELINE_MESSAGES ?? 5_000);
const LONG_QUEUE = Number(process.env.BENCH_LONG_QUEUE ?? 100_000);
const CONNECTIONS = 5;
/** How long the stalled server waits before each reply, and how long Sandbox messages are sent beside it. */
const STALL_MS = 60_000;
const ISOLATION_SECONDS = Number(process.env.BENCH_ISOLATION_SECONDS ?? 20);
const ISOLATION_STALLED_QUEUE = 2_000;
/** Messages each carrying its own ATTACHMENT_MB file (stored, then encoded by the worker as it sends). */
const ATTACHMENT_MESSAGES = Number(process.env.BENCH_ATTACHMENT_MESSAGES ?? 200);
const ATTACHMENT_MB = 5;
const html = "<p>Hello <strong>there</strong>, this is a benchmark message with a little formatting.</p>";

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "securevault-bench-delivery-"));
  Object.assign(process.env, {
    DATA_DIR: dataDir,
    DATABASE_URL: `file:${path.join(dataDir, "bench.db")}`,
    LOG_LEVEL: "silent",
    SMTP_ALLOWED_HOSTS: "127.0.0.1",
    // The loopback sink (and the stalled server) offer no AUTH: an admin's own relay, as far as the rule goes.
    SMTP_NO_AUTH_HOSTS: "127.0.0.1",
    SANDBOX_SMTP_ENABLED: "false",
    DELIVERY_CONCURRENCY: String(CONNECTIONS),
  });
  const { applyMigrations } = await import("@/lib/db/migrations");
  const { migrationPaths } = await import("@/lib/db/provider");
  await applyMigrations({ ...migrationPaths("sqlite"), databaseUrl: process.env.DATABASE_URL! });

  const sink = await startSinkProcess();
  const { db } = await import("@/lib/db/client");
  const { createUser } = await import("@/lib/auth/users");
  const { createSender } = await import("@/lib/senders/senders");
  const user = await createUser({
    email: "bench@example.com",
    password: "benchmark password",
    name: "Bench",
  });
  const sender = await createSender(user.id, {
    preset: "custom",
    fromEmail: "me@bench.test",
    fromName: "Bench Sender",
    host: "127.0.0.1",
    port: sink.port,
    security: "none",
    password: "unused",
  });

  // Baseline: the same messages through a default nodemailer pool, as an app would use it.
  const nodemailer = (await import("nodemailer")).default;
  const transport = nodemailer.createTransport({
    host: "127.0.0.1",
    port: sink.port,
    pool: true,
    ignoreTLS: true,
  });
  await askSink(sink.child, "reset");
  const started = performance.now();
  await Promise.all(
    Array.from({ length: BASELINE_N }, (_, i) =>
      transport.sendMail({
        messageId: `<baseline-${i}@bench.test>`,
        from: { name: "Bench Sender", address: "me@bench.test" },
        to: `r${i}@example.com`,
        subject: `Benchmark message ${i}`,
        html,
        text: "Hello there, this is a benchmark message with a little formatting.",
      }),
    ),
  );
  const baselineMsgPerSec = BASELINE_N / ((performance.now() - started) / 1000);
  transport.close();
  const baselineSink = await askSink<SinkStats>(sink.child, "stats");
  console.log(
    `baseline: nodemailer pool, ${BASELINE_N} messages: ${baselineMsgPerSec.toFixed(0)} msg/s (sink got ${baselineSink.messages})`,
  );

  // Each run drains the queue with the real worker (`npm run worker`) in a process of its own, so its speed,
  // CPU and peak RSS are the worker's alone, not the benchmark's or the sink's.
  const drainRun = async (count: number, label: string) => {
    const worker = await startWorkerProcess(dataDir);
    // Queued for later, then made due all at once: the clock starts when they become due.
    await queueMessages(db, user.id, sender.id, count, new Date(Date.now() + 3_600_000));
    await askSink(sink.child, "reset");
    const rssBefore = procStatus(worker.pid!).rssMb;
    const cpuBefore = procCpuSeconds(worker.pid!);
    const sinkCpuBefore = procCpuSeconds(sink.child.pid!);
    const dueAt = new Date();
    await db.$executeRaw`UPDATE "Message" SET "nextAttemptAt" = ${dueAt}`;
    await untilDrained(db);
    const cpuSeconds = procCpuSeconds(worker.pid!) - cpuBefore;
    const sinkCpuSeconds = procCpuSeconds(sink.child.pid!) - sinkCpuBefore;
    const { peakRssMb } = procStatus(worker.pid!);
    await stopWorkerProcess(worker);
    const last = await db.message.aggregate({ _max: { sentAt: true } });
    if (!last._max.sentAt) {
      const failed = await db.message.findFirst({ where: { status: { not: "sent" } } });
      throw new Error(`${label}: nothing was sent (${failed?.status}: ${failed?.lastError ?? "no reason"})`);
    }
    const seconds = (last._max.sentAt.getTime() - dueAt.getTime()) / 1000;
    const stats = await askSink<SinkStats>(sink.child, "stats");
    const notSent = await db.message.count({ where: { status: { not: "sent" } } });
    console.log(
      `${label}: ${count} messages drained in ${seconds.toFixed(2)} s: ${(count / seconds).toFixed(0)} msg/s, ` +
        `sink got ${stats.messages} (${stats.uniqueIds} distinct), not sent ${notSent}; worker process: ` +
        `RSS ${rssBefore.toFixed(0)} MB idle, peak ${peakRssMb.toFixed(0)} MB, CPU ${((cpuSeconds / seconds) * 100).toFixed(0)}% of one core ` +
        `(the sink's: ${((sinkCpuSeconds / seconds) * 100).toFixed(0)}%; ${os.cpus().length} cores in all)`,
    );
    await db.$executeRaw`DELETE FROM "MessageEvent"`;
    await db.$executeRaw`DELETE FROM "Message"`;
    return { msgPerSec: count / seconds, peakRssMb, delivered: stats.uniqueIds };
  };

  const run = await drainRun(N, "engine");
  const long = await drainRun(LONG_QUEUE, "long queue");
  const isolation = await isolationRun(db, user.id, dataDir);
  const attachments = await attachmentRun(db, user.id, sender.id, dataDir, sink);
  sink.child.send({ type: "exit" });
  fs.rmSync(dataDir, { recursive: true, force: true });

  const ratio = run.msgPerSec / baselineMsgPerSec;
  console.log(
    `targets: ≥ 1500 msg/s ${run.msgPerSec >= 1500 ? "met" : "MISSED"}; ≥ 10× baseline ${ratio >= 10 ? "met" : "MISSED"} (${ratio.toFixed(1)}×); ` +
      `${LONG_QUEUE} drained with peak RSS ≤ 300 MB ${long.peakRssMb <= 300 && long.delivered === LONG_QUEUE ? "met" : "MISSED"}; ` +
      `Sandbox p99 ≤ 2 s beside a stalled sender ${isolation.p99Ms <= 2000 && isolation.allSent ? "met" : "MISSED"}; ` +
      `${ATTACHMENT_MESSAGES} × ${ATTACHMENT_MB} MB attachments drained with peak RSS ≤ 300 MB ${attachments.peakRssMb <= 300 && attachments.delivered === ATTACHMENT_MESSAGES ? "met" : "MISSED"}`,
  );
  console.log(
    JSON.stringify({
      bench: "delivery",
      msgPerSec: Math.round(run.msgPerSec),
      baselineMsgPerSec: Math.round(baselineMsgPerSec),
      ratio: Number(ratio.toFixed(2)),
      drained: long.delivered,
      peakRssMb: Math.round(long.peakRssMb),
      isolationP99Ms: Math.round(isolation.p99Ms),
      attachmentPeakRssMb: Math.round(attachments.peakRssMb),
    }),
  );
  process.exit(0);
}

type SinkStats = { messages: number; uniqueIds: number; bytes: number };

const STALLED_AFTER_MS = 60_000;

/**
 * Waits until no message is queued or sending. A queue that has not moved for a minute (a message deferred
 * for minutes, a reply never coming) ends the run with what the messages left say, instead of waiting on.
 */
async function untilDrained(db: Db) {
  const unfinished = async () =>
    Number(
      (
        await db.$queryRaw<{ n: number | bigint }[]>`
          SELECT COUNT(*) AS "n" FROM "Message" WHERE "status" IN ('queued', 'sending')`
      )[0]!.n,
    );
  let last = await unfinished();
  let movedAt = Date.now();
  for (let checked = Date.now(); ;) {
    await new Promise((r) => setTimeout(r, 200));
    const left = await db.$queryRaw<unknown[]>`
      SELECT 1 FROM "Message" WHERE "status" IN ('queued', 'sending') LIMIT 1`;
    if (left.length === 0) return;
    if (Date.now() - checked < 5_000) continue;
    checked = Date.now();
    const now = await unfinished();
    if (now !== last) [last, movedAt] = [now, Date.now()];
    else if (Date.now() - movedAt > STALLED_AFTER_MS) {
      const stuck = await db.$queryRaw<{ status: string; lastError: string | null; n: number | bigint }[]>`
        SELECT "status", "lastError", COUNT(*) AS "n" FROM "Message" WHERE "status" IN ('queued', 'sending')
        GROUP BY "status", "lastError" LIMIT 5`;
      const why = stuck.map((r) => `${r.n} ${r.status}${r.lastError ? ` (${r.lastError})` : ""}`).join("; ");
      throw new Error(`the queue has not moved for ${STALLED_AFTER_MS / 1000} s with ${now} left: ${why}`);
    }
  }
}

/**
 * ATTACHMENT_MESSAGES messages, each with a file of its own (ATTACHMENT_MB of random bytes, stored through the
 * attachment storage and linked as the send path links them), drained by a fresh worker process into the sink.
 * The worker reads each file as a stream and encodes it into the message; its body budget counts the encoded
 * size, so it holds a bounded number at once however many are queued.
 */
async function attachmentRun(
  db: Db,
  userId: string,
  senderId: string,
  dataDir: string,
  sink: { child: ChildProcess },
) {
  const { attachmentStorage } = await import("@/lib/attachments/storage");
  const { attachmentWireSize } = await import("@/lib/attachments/encoded-size");
  const { newTimeOrderedId } = await import("@/lib/db/ids");
  const { randomBytes } = await import("node:crypto");
  // What the isolation run left (the stalled sender's queue) goes first: this run waits for its own only.
  await db.$executeRaw`DELETE FROM "MessageEvent"`;
  await db.$executeRaw`DELETE FROM "Message"`;
  const worker = await startWorkerProcess(dataDir);
  await queueMessages(db, userId, senderId, ATTACHMENT_MESSAGES, new Date(Date.now() + 3_600_000), "attach");
  const messages = await db.message.findMany({ where: { senderId }, select: { id: true } });
  if (messages.length !== ATTACHMENT_MESSAGES) throw new Error(`queued ${messages.length} messages`);
  const content = randomBytes(ATTACHMENT_MB * 1024 * 1024);
  for (const [i, { id }] of messages.entries()) {
    content.writeUInt32BE(i, 0); // each file its own bytes
    const stored = await attachmentStorage().write([content], { maxBytes: content.length });
    const attachmentId = newTimeOrderedId();
    await db.attachment.create({
      data: {
        id: attachmentId,
        userId,
        uploadKey: randomUUID(),
        filename: `report-${i}.pdf`,
        contentType: "application/pdf",
        size: stored.size,
        sha256: stored.sha256,
        storageKey: stored.key,
      },
    });
    await db.messageAttachment.create({ data: { messageId: id, attachmentId, position: 0 } });
    await db.message.update({ where: { id }, data: { attachmentBytes: attachmentWireSize(stored.size) } });
  }
  await askSink(sink.child, "reset");
  const dueAt = new Date();
  await db.$executeRaw`UPDATE "Message" SET "nextAttemptAt" = ${dueAt}`;
  await untilDrained(db);
  const { peakRssMb } = procStatus(worker.pid!);
  await stopWorkerProcess(worker);
  const seconds = (Date.now() - dueAt.getTime()) / 1000;
  const stats = await askSink<SinkStats>(sink.child, "stats");
  const notSent = await db.message.count({ where: { status: { not: "sent" } } });
  console.log(
    `attachments: ${ATTACHMENT_MESSAGES} messages with a ${ATTACHMENT_MB} MB file each drained in ${seconds.toFixed(1)} s, ` +
      `sink got ${stats.messages} (${(stats.bytes / 1024 / 1024).toFixed(0)} MB), not sent ${notSent}; ` +
      `worker peak RSS ${peakRssMb.toFixed(0)} MB`,
  );
  return { peakRssMb, delivered: stats.uniqueIds };
}
type Db = typeof import("@/lib/db/client").db;

/**
 * The user's Sandbox sender (the built-in mailbox, in this process) gets ten messages every 200 ms for
 * ISOLATION_SECONDS, twice: first alone (the control, measured in the same run, after a second's worth to
 * warm up), then while another sender's server stalls STALL_MS before every reply (the greeting too), with
 * more of that sender's messages queued than the worker has slots. Each Sandbox message's time from queued (its row written) to sent (its outcome
 * stored) is read from the database. The worker is configured as in the runs above (polling every 50 ms: a
 * worker process has no in-process wake from the send path, and the figure is about the stalled sender, not
 * the poll).
 */
async function isolationRun(db: Db, userId: string, dataDir: string) {
  const { startSandboxSmtp } = await import("@/lib/sandbox/smtp-server");
  const { createSender } = await import("@/lib/senders/senders");
  const sandbox = await startSandboxSmtp({ host: "127.0.0.1", port: 0 });
  const stalled = await startScriptedSmtp({ stallEveryReplyMs: STALL_MS });
  const sandboxSender = await db.sender.findFirstOrThrow({ where: { userId, kind: "sandbox" } });
  const worker = await startWorkerProcess(dataDir, { SANDBOX_SMTP_PORT: String(sandbox.port) });

  // A first few messages warm the worker and the Sandbox's connections up; they are not counted.
  await sandboxLatencies(db, userId, sandboxSender.id, "warm-up", 1);
  const control = await sandboxLatencies(db, userId, sandboxSender.id, "control");
  const slow = await createSender(userId, {
    preset: "custom",
    fromEmail: "me@stalled.test",
    host: "127.0.0.1",
    port: stalled.port,
    security: "none",
    password: "unused",
  });
  await queueMessages(db, userId, slow.id, ISOLATION_STALLED_QUEUE, new Date());
  // The stalled sender's messages are claimed first.
  while ((await db.message.count({ where: { senderId: slow.id, status: "sending" } })) === 0) {
    await new Promise((r) => setTimeout(r, 50));
  }
  const beside = await sandboxLatencies(db, userId, sandboxSender.id, "beside");
  const stalledInFlight = await db.message.count({ where: { senderId: slow.id, status: "sending" } });
  const stalledSent = await db.message.count({ where: { senderId: slow.id, status: "sent" } });
  // The stalled connections are dropped first, so the worker's messages in flight settle and it can stop.
  await stalled.close();
  await stopWorkerProcess(worker);
  await sandbox.close();
  const line = (l: Latencies) =>
    `${l.sent}/${l.total} sent, queued → sent p50 ${l.p50} ms, p99 ${l.p99} ms, max ${l.max} ms`;
  console.log(`isolation control: Sandbox alone: ${line(control)}`);
  console.log(
    `isolation: Sandbox beside a sender whose server stalls ${STALL_MS / 1000} s before each reply ` +
      `(${ISOLATION_STALLED_QUEUE} queued, ${stalledInFlight} in flight, ${stalledSent} sent at the end): ${line(beside)}`,
  );
  return { p99Ms: beside.p99, allSent: beside.sent === beside.total };
}

type Latencies = { total: number; sent: number; p50: number; p99: number; max: number };

/** Queues the Sandbox messages of one isolation phase, waits for them, and reads their queued → sent times. */
async function sandboxLatencies(
  db: Db,
  userId: string,
  senderId: string,
  tag: string,
  seconds = ISOLATION_SECONDS,
): Promise<Latencies> {
  const batches = seconds * 5;
  for (let i = 0; i < batches; i++) {
    await queueMessages(db, userId, senderId, 10, new Date(), `isolation-${tag}-${i}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  const total = batches * 10;
  const mine = { senderId, messageIdHeader: { startsWith: `<isolation-${tag}-` } };
  const waitMs = 30_000;
  const deadline = Date.now() + waitMs;
  while ((await db.message.count({ where: { ...mine, status: "sent" } })) < total && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
  }
  const rows = await db.message.findMany({ where: mine, select: { createdAt: true, sentAt: true } });
  // Not sent within the wait: counted as the whole wait.
  const latencies = rows
    .map((r) => (r.sentAt ? r.sentAt.getTime() - r.createdAt.getTime() : waitMs + seconds * 1000))
    .sort((a, b) => a - b);
  const p = (q: number) => latencies[Math.min(latencies.length - 1, Math.ceil(q * latencies.length) - 1)]!;
  return {
    total,
    sent: rows.filter((r) => r.sentAt).length,
    p50: p(0.5),
    p99: p(0.99),
    max: latencies.at(-1)!,
  };
}

/** Queues `count` messages straight into the outbox, the way the send path stores them, in large batches. */
async function queueMessages(
  db: Db,
  userId: string,
  senderId: string,
  count: number,
  due: Date,
  tag = "bench",
) {
  const { Prisma } = await import("@/lib/generated/prisma/client");
  const { newTimeOrderedId } = await import("@/lib/db/ids");
  const now = new Date();
  for (let start = 0; start < count; start += 1000) {
    const rows = Array.from({ length: Math.min(1000, count - start) }, (_, k) => {
      const i = start + k;
      const to = JSON.stringify([{ address: `r${i}@example.com`, name: "Someone" }]);
      return Prisma.sql`(${newTimeOrderedId()}, ${userId}, ${senderId}, ${randomUUID()}, 'h', ${`<${tag}-${i}-${randomUUID()}@bench.test>`},
        'Bench Sender', 'me@bench.test', ${to}, '[]', '[]', ${`Benchmark message ${i}`}, ${html}, 'bench', 'queued', 0, ${due}, ${now}, ${now})`;
    });
    await db.$executeRaw`
      INSERT INTO "Message" ("id", "userId", "senderId", "idempotencyKey", "requestHash", "messageIdHeader", "fromName",
        "fromEmail", "to", "cc", "bcc", "subject", "html", "searchText", "status", "attempts", "nextAttemptAt",
        "createdAt", "updatedAt")
      VALUES ${Prisma.join(rows)}`;
  }
}

main().catch((error) => {
  console.error(error);
  killWorkerProcesses();
  process.exit(1);
});
