// npm run bench:webhooks — webhook delivery end to end: a process of its own (as the delivery worker) queues
// BENCH_EVENTS events (10,000) at BENCH_RATE a second into the database queue, and its webhook sender signs and
// POSTs them to a local receiver in this process, which checks each signature (so the receiver answering is
// ours, fed by that sender). It first sends 200 warm-up events, not counted: a delivering process runs for long,
// and what its first second costs is printed apart. Measured: events/s from the first event queued to the last received, p99 from an
// event being queued (its timestamp) to its arrival, and the sending process's peak RSS. Baseline, same run:
// plain sequential POSTs of the same bodies over one keep-alive connection from this process, the ceiling of one
// endpoint's in-order delivery. Targets: ≥ 1,000 events/s, p99 ≤ 500 ms. The last line is one JSON object.
import { fork } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { Webhook } from "standardwebhooks";
import { startWebhookReceiver } from "@/tests/support/webhook-receiver";

const EVENTS = Number(process.env.BENCH_EVENTS ?? 10_000);
const RATE = Number(process.env.BENCH_RATE ?? 2_000);
const BASELINE_POSTS = 3_000;
/** Sent (and received) before the measured events; their subject starts with the prefix. */
const WARM_UP_EVENTS = 200;
const WARM_UP_PREFIX = "Warm-up";

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "securevault-bench-webhooks-"));
  Object.assign(process.env, {
    DATA_DIR: dataDir,
    DATABASE_URL: `file:${path.join(dataDir, "bench.db")}`,
    LOG_LEVEL: "silent",
    WEBHOOK_ALLOW_LOOPBACK: "true",
    WEBHOOK_POLL_MS: "20",
    BENCH_EVENTS: String(EVENTS),
    BENCH_RATE: String(RATE),
  });
  const { applyMigrations } = await import("@/lib/db/migrations");
  const { migrationPaths } = await import("@/lib/db/provider");
  await applyMigrations({ ...migrationPaths("sqlite"), databaseUrl: process.env.DATABASE_URL! });
  const { createUser } = await import("@/lib/auth/users");
  const { createWebhook } = await import("@/lib/webhooks/endpoints");
  const { db } = await import("@/lib/db/client");

  const receiver = await startWebhookReceiver();
  const user = await createUser({
    email: "bench@example.com",
    password: "benchmark password",
    name: "Bench",
  });
  const { secret } = await createWebhook(user.id, {
    url: receiver.url,
    kind: "standard",
    events: ["message.failed"],
    description: null,
  });
  const verifier = new Webhook(secret!);

  // Baseline: the same kind of body POSTed one after another over one keep-alive connection.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const sample = JSON.stringify({
    type: "message.failed",
    timestamp: new Date().toISOString(),
    data: { subject: "x" },
  });
  const baselineStart = performance.now();
  for (let i = 0; i < BASELINE_POSTS; i++) await post(receiver.url, sample, agent);
  const baselinePerSec = BASELINE_POSTS / ((performance.now() - baselineStart) / 1000);
  agent.destroy();
  receiver.received.length = 0;

  const latencies: number[] = [];
  const warmUpLatencies: number[] = [];
  const seen = new Set<string>();
  let forged = 0;
  let duplicates = 0;
  receiver.reply = (req) => {
    try {
      const event = verifier.verify(req.body, req.headers as Record<string, string>) as {
        timestamp: string;
        data: { subject: string };
      };
      // At least once: a request answered after the sender's deadline is sent again. Each event counts once.
      const id = String(req.headers["webhook-id"]);
      if (seen.has(id)) duplicates++;
      else {
        seen.add(id);
        const latency = req.at - Date.parse(event.timestamp);
        if (event.data.subject.startsWith(WARM_UP_PREFIX)) warmUpLatencies.push(latency);
        else latencies.push(latency);
      }
    } catch {
      forged++;
    }
    return { status: 204 };
  };

  const child = fork(
    path.resolve("tests/bench/webhook-sender-process.ts"),
    [user.id, String(WARM_UP_EVENTS), WARM_UP_PREFIX],
    {
      // As `npm run worker` runs the delivering process.
      execArgv: ["--max-old-space-size=128", "--import", "tsx", "--conditions=react-server"],
      env: process.env,
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    },
  );
  let peakRssMb = 0;
  const sampler = setInterval(() => {
    const status = fs.readFileSync(`/proc/${child.pid}/status`, "utf8");
    const hwm = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
    peakRssMb = Math.max(peakRssMb, hwm);
  }, 100);
  // Warm-up: a delivering process is long-running, so the measured events start once it has sent a first few
  // (its code compiled, its queries prepared). The warm-up's own figures are printed apart.
  const warmUpDeadline = Date.now() + 5 * 60_000;
  while (warmUpLatencies.length < WARM_UP_EVENTS && Date.now() < warmUpDeadline) await sleep(20);
  const started = Date.now();
  child.send("go");
  const deadline = started + 10 * 60_000;
  while (latencies.length + forged < EVENTS && Date.now() < deadline) await sleep(20);
  const seconds = (Math.max(...receiver.received.map((r) => r.at)) - started) / 1000;
  warmUpLatencies.sort((a, b) => a - b);
  clearInterval(sampler);
  child.kill("SIGTERM");
  await new Promise((resolve) => child.once("exit", resolve));
  await receiver.close();

  const delivered = await db.webhookDelivery.count({ where: { status: "delivered" } });
  if (latencies.length < EVENTS || forged > 0) {
    console.error(
      `only ${latencies.length} of ${EVENTS} events arrived verified (${forged} failed verification)`,
    );
  }
  latencies.sort((a, b) => a - b);
  const p = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  const eventsPerSec = latencies.length / seconds;
  console.log(
    `webhooks: ${latencies.length} events verified at the receiver in ${seconds.toFixed(2)} s (paced at ${RATE}/s)`,
  );
  console.log(
    `webhooks: ${eventsPerSec.toFixed(0)} events/s; baseline sequential POSTs ${baselinePerSec.toFixed(0)}/s; ratio ${(eventsPerSec / baselinePerSec).toFixed(2)}`,
  );
  console.log(
    `webhooks: warm-up (${warmUpLatencies.length} events as the process started, not counted): max ${warmUpLatencies.at(-1)} ms`,
  );
  console.log(`webhooks: event → delivery p50 ${p(0.5)} ms, p99 ${p(0.99)} ms, max ${latencies.at(-1)} ms`);
  console.log(
    `webhooks: peak RSS of the sending process ${peakRssMb.toFixed(0)} MB; ${delivered} deliveries stored as delivered; ${duplicates} sent again after a timeout`,
  );
  console.log(
    `webhooks: targets ≥ 1000 events/s ${eventsPerSec >= 1000 ? "met" : "MISSED"}, p99 ≤ 500 ms ${p(0.99) <= 500 ? "met" : "MISSED"}`,
  );
  console.log(
    JSON.stringify({
      bench: "webhooks",
      eventsPerSec: Math.round(eventsPerSec),
      p99Ms: p(0.99),
      peakRssMb: Math.round(peakRssMb),
    }),
  );
  fs.rmSync(dataDir, { recursive: true, force: true });
  process.exit(latencies.length === EVENTS ? 0 : 1);
}

function post(url: string, body: string, agent: http.Agent): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method: "POST", agent, headers: { "content-type": "application/json" } },
      (res) => {
        res.resume();
        res.on("end", () => resolve());
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

void main();
