// npm run bench:delivery — the delivery engine end to end: N messages queued in the database are drained into
// a loopback SMTP server (a minimal sink in a child process, so its CPU is not charged to us) with their
// statuses stored, and in the same run a default nodemailer pool (5 connections, sendMail building each
// message) sends the same messages into the same sink: the baseline. Then a long queue (BENCH_LONG_QUEUE,
// 100,000) is drained while peak RSS is sampled. Targets: ≥ 1,500 msg/s with 5 connections, ≥ 10× the baseline,
// 100,000 drained with peak RSS ≤ 300 MB. The last line is one JSON object with the figures.
import { askSink, startSinkProcess } from "@/tests/support/smtp-sink-process";
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const N = Number(process.env.BENCH_MESSAGES ?? 20_000);
const BASELINE_N = Number(process.env.BENCH_BASELINE_MESSAGES ?? 5_000);
const LONG_QUEUE = Number(process.env.BENCH_LONG_QUEUE ?? 100_000);
const CONNECTIONS = 5;
const html = "<p>Hello <strong>there</strong>, this is a benchmark message with a little formatting.</p>";

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "securevault-bench-delivery-"));
  Object.assign(process.env, {
    DATA_DIR: dataDir,
    DATABASE_URL: `file:${path.join(dataDir, "bench.db")}`,
    LOG_LEVEL: "silent",
    SMTP_ALLOWED_HOSTS: "127.0.0.1",
    SANDBOX_SMTP_ENABLED: "false",
    DELIVERY_CONCURRENCY: String(CONNECTIONS),
  });
  const { applyMigrations, migrationPaths } = await import("@/lib/db/migrations");
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
  let started = performance.now();
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

  const { startDeliveryWorker } = await import("@/lib/delivery/worker");
  const { closeAllPools } = await import("@/lib/mail/transport");
  const drainRun = async (count: number, label: string) => {
    await queueMessages(db, user.id, sender.id, count);
    console.log(
      `${label}: RSS before draining ${(process.memoryUsage().rss / 1048576).toFixed(0)} MB, heap ${(process.memoryUsage().heapUsed / 1048576).toFixed(0)} MB`,
    );
    await askSink(sink.child, "reset");
    let peakRss = process.memoryUsage().rss;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
    started = performance.now();
    const worker = startDeliveryWorker({ pollMs: 1000, concurrency: 500 });
    for (;;) {
      await new Promise((r) => setTimeout(r, 100));
      const sent = await db.message.count({ where: { status: "sent" } });
      if (sent >= count) break;
    }
    const seconds = (performance.now() - started) / 1000;
    await worker.stop();
    clearInterval(sampler);
    const stats = await askSink<SinkStats>(sink.child, "stats");
    const failed = await db.message.count({ where: { status: { not: "sent" } } });
    console.log(
      `${label}: ${count} messages drained in ${seconds.toFixed(2)} s: ${(count / seconds).toFixed(0)} msg/s, ` +
        `sink got ${stats.messages} (${stats.uniqueIds} distinct), not sent ${failed}, peak RSS ${(peakRss / 1048576).toFixed(0)} MB`,
    );
    await db.$executeRaw`DELETE FROM "Message"`;
    return { msgPerSec: count / seconds, peakRssMb: peakRss / 1048576, delivered: stats.uniqueIds };
  };

  const run = await drainRun(N, "engine");
  const long = await drainRun(LONG_QUEUE, "long queue");
  closeAllPools();
  sink.child.send({ type: "exit" });
  fs.rmSync(dataDir, { recursive: true, force: true });

  const ratio = run.msgPerSec / baselineMsgPerSec;
  console.log(
    `targets: ≥ 1500 msg/s ${run.msgPerSec >= 1500 ? "met" : "MISSED"}; ≥ 10× baseline ${ratio >= 10 ? "met" : "MISSED"} (${ratio.toFixed(1)}×); ` +
      `${LONG_QUEUE} drained with peak RSS ≤ 300 MB ${long.peakRssMb <= 300 && long.delivered === LONG_QUEUE ? "met" : "MISSED"}`,
  );
  console.log(
    JSON.stringify({
      bench: "delivery",
      msgPerSec: Math.round(run.msgPerSec),
      baselineMsgPerSec: Math.round(baselineMsgPerSec),
      ratio: Number(ratio.toFixed(2)),
      drained: long.delivered,
      peakRssMb: Math.round(long.peakRssMb),
    }),
  );
  process.exit(0);
}

type SinkStats = { messages: number; uniqueIds: number };

/** Queues `count` messages straight into the outbox, the way the send path stores them, in large batches. */
async function queueMessages(
  db: typeof import("@/lib/db/client").db,
  userId: string,
  senderId: string,
  count: number,
) {
  const { Prisma } = await import("@/lib/generated/prisma/client");
  const { newTimeOrderedId } = await import("@/lib/db/ids");
  const now = new Date();
  for (let start = 0; start < count; start += 1000) {
    const rows = Array.from({ length: Math.min(1000, count - start) }, (_, k) => {
      const i = start + k;
      const to = JSON.stringify([{ address: `r${i}@example.com`, name: "Someone" }]);
      return Prisma.sql`(${newTimeOrderedId()}, ${userId}, ${senderId}, ${randomUUID()}, 'h', ${`<bench-${i}-${randomUUID()}@bench.test>`},
        'Bench Sender', 'me@bench.test', ${to}, '[]', '[]', ${`Benchmark message ${i}`}, ${html}, 'bench', 'queued', 0, ${now}, ${now}, ${now})`;
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
  process.exit(1);
});
