// npm run bench:merge — a 20,000-row mail merge, limits off, into the benchmark sink (a minimal SMTP server in a
// child process, tests/support/smtp-sink.ts), by the real worker in a process of its own (as `npm run worker`
// runs it: the campaign feeder runs beside its delivery loop). Measured: rows per second from Start until the
// campaign is done (every row's outcome copied back to the ledger), the worker's peak RSS, and the time from
// Start to the sink's first message. Baseline, in the same run: the same number of plain
// messages queued straight into the outbox and drained by a worker of their own — the ratio is what merging
// costs over plain delivery.
// Targets: ≥ 2,000 rows/s, ≤ 300 MB, first message ≤ 1 s. The last line is one JSON object with the figures.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import {
  killWorkerProcesses,
  procStatus,
  startWorkerProcess,
  stopWorkerProcess,
} from "@/tests/bench/worker-process";
import { askSink, startSinkProcess } from "@/tests/support/smtp-sink-process";

const ROWS = Number(process.env.BENCH_MERGE_ROWS ?? 20_000);
type SinkStats = { messages: number; uniqueIds: number };

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "securevault-bench-merge-"));
  Object.assign(process.env, {
    DATA_DIR: dataDir,
    DATABASE_URL: `file:${path.join(dataDir, "bench.db")}`,
    LOG_LEVEL: "silent",
    SMTP_ALLOWED_HOSTS: "127.0.0.1",
    // The loopback sink offers no AUTH: an admin's own relay, as far as the rule goes.
    SMTP_NO_AUTH_HOSTS: "127.0.0.1",
    SANDBOX_SMTP_ENABLED: "false",
    DELIVERY_CONCURRENCY: "5",
    // This process only imports and starts the campaign; the worker process delivers.
    DELIVERY_WORKER_ENABLED: "false",
  });
  const { applyMigrations } = await import("@/lib/db/migrations");
  const { migrationPaths } = await import("@/lib/db/provider");
  await applyMigrations({ ...migrationPaths("sqlite"), databaseUrl: process.env.DATABASE_URL! });
  const sink = await startSinkProcess();
  const { db } = await import("@/lib/db/client");
  const { createUser } = await import("@/lib/auth/users");
  const { createSender } = await import("@/lib/senders/senders");
  const { importCampaign, updateCampaign } = await import("@/lib/campaigns/campaigns");
  const { startCampaign } = await import("@/lib/campaigns/control");
  const { queueBulkMessages } = await import("@/tests/support/bulk-queue");
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
  const baseline = await startWorkerProcess(dataDir);

  // Baseline: plain messages straight into the outbox, drained by the same worker.
  await askSink(sink.child, "reset");
  const baselineStart = performance.now();
  await queueBulkMessages({
    userId: user.id,
    senderId: sender.id,
    fromEmail: "me@bench.test",
    count: ROWS,
    tag: "plain",
  });
  while ((await askSink<SinkStats>(sink.child, "stats")).uniqueIds < ROWS) await sleep(50);
  const baselinePerSec = ROWS / ((performance.now() - baselineStart) / 1000);
  const baselinePeak = procStatus(baseline.pid!).peakRssMb;
  console.log(
    `baseline: ${ROWS} plain messages queued and drained: ${baselinePerSec.toFixed(0)} msg/s ` +
      `(worker peak RSS ${baselinePeak.toFixed(0)} MB)`,
  );
  await stopWorkerProcess(baseline);
  await db.$executeRaw`DELETE FROM "Message"`;

  // The campaign: imported and filled in before the clock starts, as a user would before pressing Start.
  const lines = ["email;First name;Company;City"];
  for (let i = 1; i <= ROWS; i++)
    lines.push(`person${i}@example.com;Name ${i};Company ${i % 97};City ${i % 13}`);
  const { campaign } = await importCampaign(user.id, Buffer.from(lines.join("\n")), { name: "Bench" });
  await updateCampaign(user.id, campaign.id, {
    senderId: sender.id,
    subject: 'News for {{ first_name | default: "you" }}',
    html:
      "<p>Dear {{ first_name }},</p><p>{% if company %}As a friend of {{ company }} in {{ city }}, {% endif %}" +
      "you are invited to our <strong>winter open day</strong>.</p><p>See you soon!</p>",
  });
  // A fresh worker for the campaign, so its peak RSS is the campaign's own.
  const worker = await startWorkerProcess(dataDir);
  await askSink(sink.child, "reset");
  const rssBefore = procStatus(worker.pid!).rssMb;
  const started = performance.now();
  await startCampaign(user.id, campaign.id);
  const startReturnedMs = performance.now() - started;
  let firstMessageMs = NaN;
  for (;;) {
    const stats = await askSink<SinkStats>(sink.child, "stats");
    if (Number.isNaN(firstMessageMs) && stats.messages > 0) firstMessageMs = performance.now() - started;
    if (stats.uniqueIds >= ROWS) break;
    await sleep(Number.isNaN(firstMessageMs) ? 2 : 50);
  }
  while ((await db.campaign.findUniqueOrThrow({ where: { id: campaign.id } })).status !== "done")
    await sleep(20);
  const seconds = (performance.now() - started) / 1000;
  const { peakRssMb } = procStatus(worker.pid!);
  const stats = await askSink<SinkStats>(sink.child, "stats");
  const sent = await db.campaignRecipient.count({ where: { campaignId: campaign.id, status: "sent" } });
  await stopWorkerProcess(worker);
  sink.child.send({ type: "exit" });
  fs.rmSync(dataDir, { recursive: true, force: true });

  const rowsPerSec = ROWS / seconds;
  console.log(
    `merge: ${ROWS} rows from Start to done in ${seconds.toFixed(2)} s: ${rowsPerSec.toFixed(0)} rows/s ` +
      `(${(rowsPerSec / baselinePerSec).toFixed(2)}× plain delivery); sink got ${stats.messages} (${stats.uniqueIds} distinct), ` +
      `ledger says ${sent} sent; first message ${firstMessageMs.toFixed(0)} ms after Start (which returned after ${startReturnedMs.toFixed(0)} ms); ` +
      `worker RSS ${rssBefore.toFixed(0)} MB before, peak ${peakRssMb.toFixed(0)} MB`,
  );
  console.log(
    `targets: ≥ 2000 rows/s ${rowsPerSec >= 2000 ? "met" : "MISSED"}; peak RSS ≤ 300 MB ${peakRssMb <= 300 ? "met" : "MISSED"}; ` +
      `first message ≤ 1 s ${firstMessageMs <= 1000 ? "met" : "MISSED"}; every row once ${stats.messages === ROWS && stats.uniqueIds === ROWS && sent === ROWS ? "met" : "MISSED"}`,
  );
  console.log(
    JSON.stringify({
      bench: "merge",
      rows: ROWS,
      rowsPerSec: Math.round(rowsPerSec),
      peakRssMb: Math.round(peakRssMb),
      firstMessageMs: Math.round(firstMessageMs),
    }),
  );
  process.exit(0);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

main().catch((error) => {
  console.error(error);
  killWorkerProcesses();
  process.exit(1);
});
