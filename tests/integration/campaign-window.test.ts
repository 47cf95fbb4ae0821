// The feeder keeps a campaign's window of queued rows full in batches: with no pace set, it tops the window up
// once a quarter of it is free (one transaction for hundreds of rows), not by the few rows that went since its
// last pass; it asks to come back soon while the window drains, and not while the window stands still.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { feedCampaigns } from "@/lib/campaigns/feeder";
import { db } from "@/lib/db/client";
import { closeAllPools } from "@/lib/mail/transport";
import { addLoopbackSender, signUpUser, type TestUser } from "@/tests/support/api";
import { draftCampaign, recipientsCsv, startCampaignRoute } from "@/tests/support/campaigns";
import { startRecordingSmtp } from "@/tests/support/recording-smtp";

let smtp: Awaited<ReturnType<typeof startRecordingSmtp>>;
let owner: TestUser;

beforeAll(async () => {
  smtp = await startRecordingSmtp();
  owner = await signUpUser("Window");
});

afterAll(async () => {
  closeAllPools();
  await smtp.close();
});

const rowsIn = (campaignId: string, status: string) =>
  db.campaignRecipient.count({ where: { campaignId, status } });

/** What a delivery worker would do for `count` of the campaign's queued messages: they are sent. */
async function deliver(campaignId: string, count: number) {
  const rows = await db.campaignRecipient.findMany({
    where: { campaignId, status: "queued" },
    orderBy: { position: "asc" },
    take: count,
    select: { messageId: true },
  });
  await db.message.updateMany({
    where: { id: { in: rows.map((r) => r.messageId!) } },
    data: { status: "sent", sentAt: new Date() },
  });
}

describe("campaign window", () => {
  it("is topped up in batches of at least a quarter, every row once", async () => {
    const senderId = (await addLoopbackSender(owner, smtp.port)).id;
    const id = await draftCampaign(owner, recipientsCsv(1500, "window.test"), senderId);
    expect((await startCampaignRoute(owner, id)).status).toBe(200);
    // Start queued a first small batch; the first pass fills the window (1,000 rows).
    expect(await rowsIn(id, "queued")).toBe(50);
    expect(await feedCampaigns()).toEqual({ queued: 950, waitingForRoom: false });
    expect(await rowsIn(id, "queued")).toBe(1000);

    // 100 sent: a tenth of the window is free, too little for a top-up; the pass comes back soon.
    await deliver(id, 100);
    expect(await feedCampaigns()).toEqual({ queued: 0, waitingForRoom: true });
    expect(await rowsIn(id, "sent")).toBe(100);
    expect(await rowsIn(id, "queued")).toBe(900);
    // Nothing went since: the window stands still (messages waiting for a retry), so no hurry.
    expect(await feedCampaigns()).toEqual({ queued: 0, waitingForRoom: false });

    // 200 more: 300 free, topped up in one go.
    await deliver(id, 200);
    expect(await feedCampaigns()).toEqual({ queued: 300, waitingForRoom: false });
    expect(await rowsIn(id, "queued")).toBe(1000);
    expect(await rowsIn(id, "pending")).toBe(200);

    // To the end: every row queued exactly once, under its own message.
    for (let i = 0; i < 20 && (await rowsIn(id, "sent")) < 1500; i++) {
      await deliver(id, 400);
      await feedCampaigns();
    }
    expect(await rowsIn(id, "sent")).toBe(1500);
    expect(await db.message.count({ where: { requestHash: `campaign:${id}` } })).toBe(1500);
    expect((await db.campaign.findUniqueOrThrow({ where: { id } })).status).toBe("done");
  });
});
