import { spawn, type ChildProcess } from "node:child_process";
import { afterAll, beforeAll, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { workerNodeArgs } from "@/lib/delivery/worker-command";
import { POST as pauseRoute } from "@/app/api/campaigns/[id]/pause/route";
import { POST as resumeRoute } from "@/app/api/campaigns/[id]/resume/route";
import { addLoopbackSender, callRoute, signUpUser } from "@/tests/support/api";
import { draftCampaign, recipientsCsv, startCampaignRoute } from "@/tests/support/campaigns";
import { startRecordingSmtp } from "@/tests/support/recording-smtp";

// Also: the same campaign paused twice and resumed, by a worker process: nothing leaves while it is paused,
// and in the end every recipient has it once.
//
// A 2,000-row campaign, its worker killed with SIGKILL twice while sending and started again: every recipient
// gets the message, and one Message-ID each. A message whose bytes had left when its worker died goes again
// with the same Message-ID (the receiver can tell it is the same message); no row is sent under two ids or
// left out.
const TOTAL = 2000;
let smtp: Awaited<ReturnType<typeof startRecordingSmtp>>;

beforeAll(async () => {
  smtp = await startRecordingSmtp();
});
afterAll(() => smtp.close());

function startWorker(): ChildProcess {
  return spawn(process.execPath, [...workerNodeArgs], {
    env: {
      ...process.env,
      // Longer than any message waits in flight here, so only a killed worker's claims ever expire.
      DELIVERY_LEASE_MS: "8000",
      DELIVERY_POLL_MS: "100",
      DELIVERY_CONCURRENCY: "5",
      WORKER_METRICS_PORT: "0",
      LOG_LEVEL: "silent",
    },
    stdio: "ignore",
  });
}

async function until(condition: () => Promise<boolean> | boolean, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function kill(worker: ChildProcess, userId: string): Promise<number> {
  worker.kill("SIGKILL");
  await new Promise((r) => worker.once("exit", r));
  return db.message.count({ where: { userId, status: "sending" } });
}

it(`a ${TOTAL}-row campaign whose worker is killed twice reaches every recipient under one Message-ID each`, async () => {
  const user = await signUpUser();
  // 400 a second: the feeder's window (ten seconds of it) keeps rows pending while the worker is killed.
  const sender = await addLoopbackSender(user, smtp.port, {
    fromEmail: "crash@acme.test",
    maxPerSecond: 400,
  });
  const id = await draftCampaign(user, recipientsCsv(TOTAL, "crash.test"), sender.id);
  expect((await startCampaignRoute(user, id)).status).toBe(200);

  const got = () => smtp.mails.filter((m) => m.to[0]?.endsWith("@crash.test")).length;
  let inFlightAtKills = 0;
  const first = startWorker();
  await until(() => got() >= TOTAL / 4, 180_000);
  inFlightAtKills += await kill(first, user.id);
  const pendingAfterFirst = await db.campaignRecipient.count({
    where: { campaignId: id, status: "pending" },
  });

  const second = startWorker();
  await until(() => got() >= (TOTAL * 3) / 5, 180_000);
  inFlightAtKills += await kill(second, user.id);

  const third = startWorker();
  try {
    await until(
      async () => (await db.campaign.findUniqueOrThrow({ where: { id } })).status === "done",
      120_000,
    );
  } finally {
    third.kill("SIGTERM");
    await new Promise((r) => third.once("exit", r));
  }

  const mails = smtp.mails.filter((m) => m.to[0]?.endsWith("@crash.test"));
  const pairs = new Set(mails.map((m) => `${m.messageId} ${m.to[0]}`));
  const idsByRecipient = new Map<string, Set<string>>();
  for (const m of mails)
    idsByRecipient.set(m.to[0]!, (idsByRecipient.get(m.to[0]!) ?? new Set()).add(m.messageId));
  const repeats = mails.length - pairs.size;
  console.log(
    `campaign crash test: ${TOTAL} rows, ${pendingAfterFirst} still pending at the first kill, ` +
      `${inFlightAtKills} in flight at the kills; ${pairs.size} distinct (Message-ID, recipient), ${repeats} repeats`,
  );
  expect(pendingAfterFirst).toBeGreaterThan(0); // the kills landed while the feeder still had rows to hand over
  expect(pairs.size).toBe(TOTAL);
  expect(idsByRecipient.size).toBe(TOTAL);
  expect([...idsByRecipient.values()].every((ids) => ids.size === 1)).toBe(true);
  expect(repeats).toBeLessThanOrEqual(inFlightAtKills);
  const rows = await db.campaignRecipient.groupBy({
    by: ["status"],
    where: { campaignId: id },
    _count: { _all: true },
  });
  expect(rows).toEqual([{ status: "sent", _count: { _all: TOTAL } }]);
}, 600_000);

it(`a ${TOTAL}-row campaign paused twice and resumed reaches every recipient once, and nothing leaves while paused`, async () => {
  const user = await signUpUser();
  const sender = await addLoopbackSender(user, smtp.port, {
    fromEmail: "pause@acme.test",
    maxPerSecond: 400,
  });
  const id = await draftCampaign(user, recipientsCsv(TOTAL, "pause2k.test"), sender.id);
  const got = () => smtp.mails.filter((m) => m.to[0]?.endsWith("@pause2k.test")).length;
  const worker = startWorker();
  try {
    expect((await startCampaignRoute(user, id)).status).toBe(200);
    const sentWhilePaused: number[] = [];
    for (const share of [1 / 4, 3 / 5]) {
      await until(() => got() >= TOTAL * share, 180_000);
      expect((await callRoute(pauseRoute, { method: "POST", user, params: { id } })).status).toBe(200);
      // What a worker had claimed before the pause settles; then nothing more goes.
      await until(
        async () => (await db.message.count({ where: { userId: user.id, status: "sending" } })) === 0,
        30_000,
      );
      const atPause = got();
      await new Promise((r) => setTimeout(r, 1500)); // longer than the feeder's idle pass and the poll
      sentWhilePaused.push(got() - atPause);
      expect(atPause).toBeLessThan(TOTAL);
      expect((await callRoute(resumeRoute, { method: "POST", user, params: { id } })).status).toBe(200);
    }
    await until(
      async () => (await db.campaign.findUniqueOrThrow({ where: { id } })).status === "done",
      180_000,
    );
    expect(sentWhilePaused).toEqual([0, 0]);
  } finally {
    worker.kill("SIGTERM");
    await new Promise((r) => worker.once("exit", r));
  }
  const mails = smtp.mails.filter((m) => m.to[0]?.endsWith("@pause2k.test"));
  expect(mails).toHaveLength(TOTAL);
  expect(new Set(mails.map((m) => `${m.messageId} ${m.to[0]}`)).size).toBe(TOTAL);
  expect(new Set(mails.map((m) => m.to[0])).size).toBe(TOTAL);
  const rows = await db.campaignRecipient.groupBy({
    by: ["status"],
    where: { campaignId: id },
    _count: { _all: true },
  });
  expect(rows).toEqual([{ status: "sent", _count: { _all: TOTAL } }]);
}, 600_000);
