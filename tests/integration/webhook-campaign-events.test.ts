import { afterAll, beforeAll, expect, it, vi } from "vitest";

vi.hoisted(() => {
  process.env.WEBHOOK_ALLOW_LOOPBACK = "true";
});

import { POST as pause } from "@/app/api/campaigns/[id]/pause/route";
import { POST as resume } from "@/app/api/campaigns/[id]/resume/route";
import { POST as cancel } from "@/app/api/campaigns/[id]/cancel/route";
import { POST as unsubscribePost } from "@/app/api/unsubscribe/[token]/route";
import { unsubscribeToken } from "@/lib/campaigns/unsubscribe";
import { db } from "@/lib/db/client";
import { startDeliveryWorker, type DeliveryWorker } from "@/lib/delivery/worker";
import { closeAllPools } from "@/lib/mail/transport";
import { createWebhook } from "@/lib/webhooks/endpoints";
import { slackBody } from "@/lib/webhooks/chat";
import { runWebhookPass } from "@/lib/webhooks/sender";
import { addLoopbackSender, callRoute, signUpUser, type TestUser } from "@/tests/support/api";
import { draftCampaign, feedUntilDone, recipientsCsv, startCampaignRoute } from "@/tests/support/campaigns";
import { eventProblems } from "@/tests/support/openapi-check";
import { startRecordingSmtp } from "@/tests/support/recording-smtp";
import { startWebhookReceiver, type WebhookReceiver } from "@/tests/support/webhook-receiver";

// Campaign and unsubscribe events: each is in the outbox as soon as the action that causes it has answered
// (committed with it), reaches the receiver as the OpenAPI document describes it, and comes once.

let smtp: Awaited<ReturnType<typeof startRecordingSmtp>>;
let worker: DeliveryWorker;
let receiver: WebhookReceiver;
let owner: TestUser;
let senderId: string;

beforeAll(async () => {
  smtp = await startRecordingSmtp();
  worker = startDeliveryWorker({ pollMs: 60_000, maxInFlight: 20 });
  receiver = await startWebhookReceiver();
  owner = await signUpUser("Campaign hooks");
  senderId = (await addLoopbackSender(owner, smtp.port)).id;
  await createWebhook(owner.id, {
    url: receiver.url,
    kind: "standard",
    events: ["campaign.started", "campaign.paused", "campaign.finished", "recipient.unsubscribed"],
    description: null,
  });
});

afterAll(async () => {
  await worker.stop();
  closeAllPools();
  await smtp.close();
  await receiver.close();
});

/** The types of the events waiting in the outbox, oldest first. */
async function outboxTypes(): Promise<string[]> {
  const rows = await db.webhookEvent.findMany({ where: { userId: owner.id }, orderBy: { id: "asc" } });
  return rows.map((r) => r.type);
}

/** Sends what waits; returns the bodies the receiver got in this call. */
async function deliver(): Promise<{ type: string; data: Record<string, unknown> }[]> {
  const before = receiver.received.length;
  await runWebhookPass();
  return receiver.received.slice(before).map((r) => JSON.parse(r.body));
}

it("start, pause, resume, finish and an unsubscribe each make one event, committed with the change", async () => {
  const id = await draftCampaign(owner, recipientsCsv(3, "hooks.test"), senderId);
  const name = (await db.campaign.findUniqueOrThrow({ where: { id } })).name;

  expect((await startCampaignRoute(owner, id)).status).toBe(200);
  expect(await outboxTypes()).toEqual(["campaign.started"]);
  expect((await callRoute(pause, { method: "POST", user: owner, params: { id } })).status).toBe(200);
  expect((await callRoute(resume, { method: "POST", user: owner, params: { id } })).status).toBe(200);
  expect(await outboxTypes()).toEqual(["campaign.started", "campaign.paused", "campaign.started"]);

  const sent = await deliver();
  expect(sent.map((e) => [e.type, e.data.status])).toEqual([
    ["campaign.started", "running"],
    ["campaign.paused", "paused"],
    ["campaign.started", "running"],
  ]);
  for (const event of sent) expect(eventProblems(event.type, event)).toEqual([]);
  expect(sent[0]!.data).toMatchObject({ campaignId: id, name });
  expect(await outboxTypes()).toEqual([]);

  await feedUntilDone(id, () => worker.drain());
  expect(await outboxTypes()).toEqual(["campaign.finished"]);
  const finished = await deliver();
  expect(finished).toEqual([expect.objectContaining({ type: "campaign.finished" })]);
  expect(finished[0]!.data).toMatchObject({ campaignId: id, status: "done" });
  expect(eventProblems("campaign.finished", finished[0])).toEqual([]);
  // The same event as a Slack notification names the campaign.
  expect(slackBody(finished[0] as never)).toContain(`*Campaign:* ${name}`);

  // One click to unsubscribe: one event; a second click changes nothing and sends nothing.
  const row = await db.campaignRecipient.findFirstOrThrow({
    where: { campaignId: id, email: "user2@hooks.test" },
  });
  const token = unsubscribeToken(row.id);
  const click = () =>
    callRoute(unsubscribePost, {
      method: "POST",
      params: { token },
      rawBody: "List-Unsubscribe=One-Click",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
  expect((await click()).status).toBe(200);
  expect((await click()).status).toBe(200);
  expect(await outboxTypes()).toEqual(["recipient.unsubscribed"]);
  const unsubscribed = await deliver();
  expect(unsubscribed).toHaveLength(1);
  expect(unsubscribed[0]!.data).toMatchObject({
    email: "user2@hooks.test",
    campaignId: id,
    campaignName: name,
    recipientId: row.id,
  });
  expect(eventProblems("recipient.unsubscribed", unsubscribed[0])).toEqual([]);
});

it("cancelling a campaign finishes it with status cancelled", async () => {
  const id = await draftCampaign(owner, recipientsCsv(2, "cancel.test"), senderId);
  await startCampaignRoute(owner, id);
  expect((await callRoute(cancel, { method: "POST", user: owner, params: { id } })).status).toBe(200);
  expect(await outboxTypes()).toEqual(["campaign.started", "campaign.finished"]);
  const sent = await deliver();
  expect(sent.map((e) => [e.type, e.data.status])).toEqual([
    ["campaign.started", "running"],
    ["campaign.finished", "cancelled"],
  ]);
});
