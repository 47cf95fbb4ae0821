import { spawn, type ChildProcess } from "node:child_process";
import { afterAll, beforeAll, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { onPostgres } from "@/lib/db/dialect";
import { workerNodeArgs } from "@/lib/delivery/worker-command";
import { addLoopbackSender, signUpUser } from "@/tests/support/api";
import { draftCampaign, recipientsCsv, startCampaignRoute } from "@/tests/support/campaigns";
import { startRecordingSmtp } from "@/tests/support/recording-smtp";

// A 2,000-row campaign fed and sent by three worker processes at once on PostgreSQL: each worker's feeder races
// the others for the same pending rows (the loser's transaction finds them taken and rolls back) and each
// worker's claims race for the queued messages (FOR UPDATE SKIP LOCKED). Every recipient gets the message
// exactly once, under the row's one Message-ID, and no row is left out. SQLite has one writer at a time and one
// machine's workers; this test is for the PostgreSQL run.
if (!onPostgres) console.log("campaign three-worker test skipped on SQLite: it runs in the PostgreSQL project.");

const TOTAL = 2000;
const WORKERS = 3;
let smtp: Awaited<ReturnType<typeof startRecordingSmtp>>;
const workers: ChildProcess[] = [];

beforeAll(async () => {
  if (onPostgres) smtp = await startRecordingSmtp();
});
afterAll(async () => {
  for (const w of workers) w.kill("SIGKILL");
  await smtp?.close();
});

function startWorker(): ChildProcess {
  const child = spawn(process.execPath, [...workerNodeArgs], {
    env: {
      ...process.env,
      DELIVERY_POLL_MS: "100",
      DELIVERY_CONCURRENCY: "5",
      WORKER_METRICS_PORT: "0",
      LOG_LEVEL: "silent",
    },
    stdio: "ignore",
  });
  workers.push(child);
  return child;
}

it.runIf(onPostgres)(
  `three workers send a ${TOTAL}-row campaign: every recipient once, under one Message-ID each`,
  async () => {
    const user = await signUpUser("Three Workers");
    // 500 a second: the feeders' windows (ten seconds of it) are small beside the campaign, so the three
    // feeders go on racing for rows until the end instead of one of them queueing everything at Start.
    const sender = await addLoopbackSender(user, smtp.port, {
      fromEmail: "three@acme.test",
      maxPerSecond: 500,
    });
    const id = await draftCampaign(user, recipientsCsv(TOTAL, "three.test"), sender.id);
    for (let i = 0; i < WORKERS; i++) startWorker();
    expect((await startCampaignRoute(user, id)).status).toBe(200);

    const deadline = Date.now() + 180_000;
    while ((await db.campaign.findUniqueOrThrow({ where: { id } })).status !== "done") {
      if (Date.now() > deadline) throw new Error("the campaign did not finish in time");
      await new Promise((r) => setTimeout(r, 100));
    }
    await Promise.all(
      workers.splice(0).map(
        (w) =>
          new Promise((resolve) => {
            w.once("exit", resolve);
            w.kill("SIGTERM");
          }),
      ),
    );

    const mails = smtp.mails.filter((m) => m.to[0]?.endsWith("@three.test"));
    const pairs = new Set(mails.map((m) => `${m.messageId} ${m.to[0]}`));
    const recipients = new Set(mails.map((m) => m.to[0]));
    expect(mails).toHaveLength(TOTAL);
    expect(pairs.size).toBe(TOTAL);
    expect(recipients.size).toBe(TOTAL);
    // Each went under its row's own Message-ID, the one the ledger holds.
    const ledger = await db.campaignRecipient.findMany({
      where: { campaignId: id },
      select: { email: true, status: true, messageIdHeader: true },
    });
    const sentIds = new Map(mails.map((m) => [m.to[0]!, m.messageId]));
    expect(ledger.filter((r) => r.status === "sent")).toHaveLength(TOTAL);
    expect(ledger.every((r) => sentIds.get(r.email) === r.messageIdHeader)).toBe(true);
  },
  300_000,
);
