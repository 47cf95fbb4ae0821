// npx tsx tests/bench/smtp-client.ts — N prebuilt messages through lib/mail/smtp-client.ts (5 connections) and
// through a default nodemailer pool (5 connections, sendMail with the same raw messages), into the same SMTP
// sink running in a child process so the server's CPU is not charged to the clients. Several rounds, medians.
// Target: ours ≥ 15× nodemailer's at the client level (the delivery engine adds database work on top).
import type { ChildProcess } from "node:child_process";
import { askSink, startSinkProcess } from "@/tests/support/smtp-sink-process";
import nodemailer from "nodemailer";
import { buildMimeMessage } from "@/lib/mail/mime-build";
import { createSmtpPool } from "@/lib/mail/smtp-client";
import type { SinkStats } from "@/tests/support/smtp-sink";

const N = Number(process.env.BENCH_MESSAGES ?? 20_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = 5;
const envelope = { from: "me@bench.test", to: ["someone@example.com"] };

function messages(count: number, round: number): Buffer[] {
  return Array.from({ length: count }, (_, i) =>
    buildMimeMessage({
      messageId: `r${round}-m${i}@bench.test`,
      date: new Date(),
      from: { name: "Bench Sender", address: "me@bench.test" },
      to: [{ name: "Someone", address: "someone@example.com" }],
      subject: `Benchmark message ${i}`,
      html: "<p>Hello <strong>there</strong>, this is a benchmark message with a little formatting.</p>",
      text: "Hello there, this is a benchmark message with a little formatting.",
    }),
  );
}

type Sender = (raw: Buffer) => Promise<unknown>;

const cpuShares: Record<string, number[]> = {};

async function timed(child: ChildProcess, raws: Buffer[], send: Sender, label = ""): Promise<number> {
  await askSink(child, "reset");
  const start = performance.now();
  const cpu = process.cpuUsage();
  await Promise.all(raws.map(send));
  const seconds = (performance.now() - start) / 1000;
  const used = process.cpuUsage(cpu);
  // The client's CPU over wall time: near 100% means the client is the limit, lower means latency or the sink.
  if (label) (cpuShares[label] ??= []).push((used.user + used.system) / 1e6 / seconds);
  const stats = await askSink<SinkStats>(child, "stats");
  // Each message exactly once, every one framed correctly: a fast wrong client must not pass.
  if (stats.messages !== raws.length || stats.uniqueIds !== raws.length || stats.malformed) {
    throw new Error(`sink saw ${JSON.stringify(stats)} for ${raws.length} messages`);
  }
  return raws.length / seconds;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main() {
  const { child, port } = await startSinkProcess();
  const ours = createSmtpPool({ host: "127.0.0.1", port, security: "none" }, { maxConnections: CONNECTIONS });
  const theirs = nodemailer.createTransport({ pool: true, host: "127.0.0.1", port });
  const sendOurs: Sender = (raw) => ours.send(envelope, raw);
  const sendTheirs: Sender = (raw) => theirs.sendMail({ envelope, raw });
  try {
    // Warm-up: JIT and connections for both.
    await timed(child, messages(1000, -1), sendOurs);
    await timed(child, messages(1000, -2), sendTheirs);
    const oursRates: number[] = [];
    const theirsRates: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      // Alternate so a noisy neighbour on the shared CPU hurts both alike; nodemailer gets N/10 (it is slow).
      oursRates.push(await timed(child, messages(N, round), sendOurs, "ours"));
      theirsRates.push(
        await timed(child, messages(Math.ceil(N / 10), round + 100), sendTheirs, "nodemailer"),
      );
    }
    const a = median(oursRates);
    const b = median(theirsRates);
    const fmt = (xs: number[]) => xs.map((x) => Math.round(x)).join(", ");
    console.log(`smtp-client pool (${CONNECTIONS} conn): median ${Math.round(a)} msg/s  [${fmt(oursRates)}]`);
    console.log(
      `nodemailer pool (${CONNECTIONS} conn) : median ${Math.round(b)} msg/s  [${fmt(theirsRates)}]`,
    );
    const share = (k: string) => `${Math.round(100 * median(cpuShares[k] ?? [0]))}%`;
    console.log(
      `client CPU over wall time (median): ours ${share("ours")}, nodemailer ${share("nodemailer")}`,
    );
    console.log(`ratio ${(a / b).toFixed(1)}×; target ≥ 15× ${a / b >= 15 ? "met" : "MISSED"}`);
    console.log(
      JSON.stringify({
        bench: "smtp-client",
        oursMsgPerSec: Math.round(a),
        nodemailerMsgPerSec: Math.round(b),
        ratio: Number((a / b).toFixed(2)),
      }),
    );
  } finally {
    await ours.close();
    theirs.close();
    child.send({ type: "exit" });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
