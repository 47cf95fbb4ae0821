// npm run health | npm run metrics — ask the running server (APP_URL, or http://127.0.0.1:PORT) how it is.
// health: liveness and each readiness check (exit code 1 when not ready). metrics: the figures that matter
// day to day, read from /api/metrics.
import "@/lib/server/load-dotenv";
import { env } from "@/lib/env";

const base = env.APP_URL ?? `http://127.0.0.1:${env.PORT}`;

async function health(): Promise<number> {
  const live = await fetch(`${base}/api/health`).catch(() => null);
  if (!live?.ok) {
    console.log(
      `✗ ${base} is not answering (${live ? `HTTP ${live.status}` : "no connection"}). Is it running?`,
    );
    return 1;
  }
  const ready = await fetch(`${base}/api/ready`);
  const body = (await ready.json()) as {
    status: string;
    checks: Record<string, { status: string; detail: string }>;
  };
  console.log(`${body.status === "ready" ? "✓" : "✗"} ${base}: ${body.status}`);
  for (const [name, check] of Object.entries(body.checks)) {
    console.log(`  ${check.status === "ok" ? "✓" : "✗"} ${name.padEnd(10)} ${check.detail}`);
  }
  return body.status === "ready" ? 0 : 1;
}

async function metrics(): Promise<number> {
  const res = await fetch(`${base}/api/metrics`, {
    headers: env.METRICS_TOKEN ? { authorization: `Bearer ${env.METRICS_TOKEN}` } : {},
  }).catch(() => null);
  if (!res?.ok) {
    console.log(`✗ could not read ${base}/api/metrics (${res ? `HTTP ${res.status}` : "no connection"})`);
    return 1;
  }
  const samples = (await res.text())
    .split("\n")
    .filter((l) => l && !l.startsWith("#"))
    .map((l) => {
      const m = /^([^{\s]+)(?:\{([^}]*)\})?\s+(\S+)/.exec(l)!;
      return { name: m[1]!, labels: m[2] ?? "", value: Number(m[3]) };
    });
  const pick = (name: string) => samples.filter((s) => s.name === name);
  const show = (title: string, name: string, label: string) => {
    const rows = pick(name);
    if (rows.length === 0) return;
    console.log(title);
    for (const s of rows) {
      const key = new RegExp(`${label}="([^"]*)"`).exec(s.labels)?.[1] ?? "—";
      console.log(`  ${key.padEnd(12)} ${s.value.toLocaleString()}`);
    }
  };
  show("Outbox", "securevault_outbox_messages", "state");
  show("Deliveries", "securevault_deliveries_total", "outcome");
  show("Push", "securevault_push_total", "result");
  show("AI tokens", "securevault_ai_tokens_total", "kind");
  const requests = pick("http_request_duration_seconds_count").reduce((n, s) => n + s.value, 0);
  const seconds = pick("http_request_duration_seconds_sum").reduce((n, s) => n + s.value, 0);
  console.log(
    `API requests  ${requests.toLocaleString()} (mean ${requests ? ((seconds / requests) * 1000).toFixed(1) : 0} ms)`,
  );
  const rss = pick("process_resident_memory_bytes")[0]?.value ?? 0;
  console.log(`Memory (RSS)  ${(rss / 1024 / 1024).toFixed(0)} MB`);
  return 0;
}

const command = process.argv[2];
const run = command === "health" ? health : command === "metrics" ? metrics : null;
if (!run) {
  console.error("usage: tsx lib/observability/cli.ts health|metrics");
  process.exit(2);
}
run().then((code) => process.exit(code));
