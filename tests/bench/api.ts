// npm run bench:api — signed-in POST /api/messages under 50 concurrent clients against the production build,
// with a bare route handler of the same server (GET /api/health) measured in the same run as the baseline.
// Targets, against the baseline of the same run: throughput ≥ 0.8 × and p99 ≤ 1.5 × the baseline's.
import { randomUUID } from "node:crypto";
import autocannon, { type Result } from "autocannon";
import { benchPortFromEnv, signInCookie, startBenchServer } from "./server";

const CONNECTIONS = 50;
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 10);
const PORT = benchPortFromEnv();

function run(opts: autocannon.Options): Promise<Result> {
  return new Promise((resolve, reject) => {
    autocannon({ connections: CONNECTIONS, duration: DURATION_S, ...opts }, (err, result) =>
      err ? reject(err) : resolve(result),
    );
  });
}

async function main() {
  // The delivery worker runs in its own process at scale; here it is off so the figure is the API's alone.
  const server = await startBenchServer(PORT, { DELIVERY_WORKER_ENABLED: "false" });
  try {
    const cookie = await signInCookie(
      server.baseUrl,
      `bench-${randomUUID().slice(0, 8)}@example.com`,
      "benchmark password 1",
    );
    const senders = (await (
      await fetch(`${server.baseUrl}/api/senders`, { headers: { cookie } })
    ).json()) as { senders: { id: string }[] };
    const senderId = senders.senders[0]!.id;
    const body = () =>
      JSON.stringify({
        idempotencyKey: randomUUID(),
        senderId,
        to: [{ address: "someone@example.com", name: "Someone" }],
        subject: "Benchmark message",
        html: "<p>Hello <strong>there</strong>, this is a benchmark message with a little formatting.</p>",
      });

    // Warm both routes (JIT, connection pools) before measuring.
    await run({ url: `${server.baseUrl}/api/health`, duration: 2 });
    const sendRequests: autocannon.Request[] = [
      {
        method: "POST",
        path: "/api/messages",
        headers: { cookie, "content-type": "application/json" },
        setupRequest: (request) => ({ ...request, body: body() }),
      },
    ];
    await run({ url: server.baseUrl, duration: 2, requests: sendRequests });

    const baseline = await run({ url: `${server.baseUrl}/api/health` });
    const send = await run({ url: server.baseUrl, requests: sendRequests });

    const accepted = send["2xx"];
    const failed = send.non2xx + send.errors + send.timeouts;
    const p99Ms = send.latency.p99;
    const reqPerSec = Math.round(send.requests.average);
    const baselineReqPerSec = Math.round(baseline.requests.average);
    const ratio = Number((reqPerSec / baselineReqPerSec).toFixed(3));
    const baselineP99Ms = baseline.latency.p99;
    const p99Ratio = Number((p99Ms / baselineP99Ms).toFixed(2));

    console.log(
      `baseline GET /api/health : ${baselineReqPerSec} req/s, p50 ${baseline.latency.p50} ms, p99 ${baseline.latency.p99} ms`,
    );
    console.log(
      `POST /api/messages       : ${reqPerSec} req/s, p50 ${send.latency.p50} ms, p90 ${send.latency.p90} ms, p97.5 ${send.latency.p97_5} ms, p99 ${p99Ms} ms, max ${send.latency.max} ms, ${accepted} accepted, ${failed} failed`,
    );
    console.log(
      `targets: throughput ≥ 0.8 × baseline ${ratio >= 0.8 ? "met" : "MISSED"} (${ratio}); p99 ≤ 1.5 × baseline ${p99Ratio <= 1.5 ? "met" : "MISSED"} (${p99Ratio})`,
    );
    console.log(JSON.stringify({ bench: "api", p99Ms, baselineP99Ms, reqPerSec, baselineReqPerSec, ratio }));
  } finally {
    await server.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
