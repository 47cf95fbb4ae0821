import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

vi.hoisted(() => {
  Object.assign(process.env, {
    // The test receivers listen on loopback over plain http.
    WEBHOOK_ALLOW_LOOPBACK: "true",
    // Short enough for the hanging receiver below, long enough for a busy machine to answer the others.
    WEBHOOK_TIMEOUT_MS: "2000",
    PASSWORD_RATE_LIMIT: "1000",
  });
});

import { randomUUID } from "node:crypto";
import { Webhook } from "standardwebhooks";
import { db } from "@/lib/db/client";
import { env } from "@/lib/env";
import type { DeliveryOutcome } from "@/lib/delivery/outcomes";
import { outcomeEventFor } from "@/lib/webhooks/outcome-events";
import { writeWebhookEvents } from "@/lib/webhooks/outbox";
import { claimDueDeliveries, CLAIM_LEASE_MS, MAX_ATTEMPTS } from "@/lib/webhooks/queue";
import { runWebhookPass, startWebhookSender } from "@/lib/webhooks/sender";
import { signUpUser, type TestUser } from "@/tests/support/api";
import { callV1, createTestKey } from "@/tests/support/api-v1";
import { eventProblems } from "@/tests/support/openapi-check";
import { startWebhookReceiver, type WebhookReceiver } from "@/tests/support/webhook-receiver";

let user: TestUser;
let key: string;
let receiver: WebhookReceiver;

beforeAll(async () => {
  user = await signUpUser("Hooks");
  key = (await createTestKey(user)).key;
  receiver = await startWebhookReceiver();
});
afterAll(() => receiver.close());
beforeEach(async () => {
  receiver.received.length = 0;
  receiver.reply = () => ({ status: 204 });
  // Each test starts with an empty queue: nothing left over is sent into the next one.
  await db.webhookDelivery.deleteMany({});
  await db.webhookEvent.deleteMany({});
  await db.webhookEndpoint.deleteMany({ where: { userId: user.id } });
});

/** An outcome's event written to the outbox, as the delivery worker writes it with the outcome. */
async function queueOutcomeEvent(outcome: DeliveryOutcome): Promise<void> {
  await writeWebhookEvents(db, [await outcomeEventFor(outcome)]);
}

async function addWebhook(json: Record<string, unknown>): Promise<{ id: string; secret: string | null }> {
  const res = await callV1(key, "POST", "/webhooks", {
    json: { url: receiver.url, events: ["message.sent"], ...json },
  });
  expect(res.status).toBe(201);
  const body = res.body as { webhook: { id: string }; secret: string | null };
  return { id: body.webhook.id, secret: body.secret };
}

const testEvent = (id: string) => callV1(key, "POST", "/webhooks/{id}/test", { params: { id } });
const headersOf = (i: number) => receiver.received[i]!.headers as Record<string, string>;

// The first test compiles the OpenAPI document's schemas, which takes seconds on a busy machine.
describe("webhooks", { timeout: 30_000 }, () => {
  it("signs each event per Standard Webhooks: the standardwebhooks package verifies it, and the body matches the document", async () => {
    const { id, secret } = await addWebhook({});
    expect(secret).toMatch(/^whsec_/);
    await testEvent(id);
    expect(await runWebhookPass()).toBe(1);
    expect(receiver.received).toHaveLength(1);
    const got = receiver.received[0]!;
    const payload = new Webhook(secret!).verify(got.body, headersOf(0)) as { type: string };
    expect(payload.type).toBe("webhook.test");
    expect(eventProblems("webhook.test", JSON.parse(got.body))).toEqual([]);
    expect(() =>
      new Webhook(`whsec_${Buffer.alloc(24, 1).toString("base64")}`).verify(got.body, headersOf(0)),
    ).toThrow();
    // A tampered body fails verification too.
    expect(() => new Webhook(secret!).verify(got.body.replace("test", "tset"), headersOf(0))).toThrow();

    const deliveries = await callV1(key, "GET", "/webhooks/{id}/deliveries", { params: { id } });
    expect(deliveries.body).toMatchObject({
      deliveries: [{ status: "delivered", attempts: 1, lastStatus: 204, attemptLog: [{ statusCode: 204 }] }],
    });
  });

  it("during a secret rotation signs with both secrets, so receivers holding either accept", async () => {
    const { id, secret: oldSecret } = await addWebhook({});
    const rotated = await callV1(key, "PATCH", "/webhooks/{id}", {
      params: { id },
      json: { rotateSecret: true },
    });
    const newSecret = (rotated.body as { secret: string }).secret;
    expect(newSecret).not.toBe(oldSecret);
    await testEvent(id);
    await runWebhookPass();
    expect(headersOf(0)["webhook-signature"]!.split(" ")).toHaveLength(2);
    expect(new Webhook(oldSecret!).verify(receiver.received[0]!.body, headersOf(0))).toBeTruthy();
    expect(new Webhook(newSecret).verify(receiver.received[0]!.body, headersOf(0))).toBeTruthy();
  });

  it("turns delivery outcomes and sends into events, only for endpoints subscribed to them", async () => {
    const { secret } = await addWebhook({ events: ["message.partially_delivered", "message.queued"] });
    await queueOutcomeEvent({
      messageId: "m1",
      userId: user.id,
      subject: "Quarterly report",
      kind: "delivered",
      accepted: ["a@example.com"],
      refused: [{ address: "b@example.com", reason: "550 5.1.1 no such user" }],
      total: 2,
      reason: null,
      attempts: 1,
    });
    await queueOutcomeEvent({
      messageId: "m2",
      userId: user.id,
      subject: "x",
      kind: "failed",
      accepted: [],
      reason: "no",
      attempts: 8,
    });
    const senderId = (await db.sender.findFirstOrThrow({ where: { userId: user.id } })).id;
    await callV1(key, "POST", "/messages", {
      json: { senderId, to: [{ address: "c@example.com" }], subject: "Queued one" },
      headers: { "Idempotency-Key": randomUUID() },
    });
    // message.queued is committed with the message: its row is there when the send is answered.
    expect(await db.webhookEvent.count({ where: { type: "message.queued" } })).toBe(1);
    await runWebhookPass();
    const types = receiver.received.map(
      (r) =>
        (new Webhook(secret!).verify(r.body, r.headers as Record<string, string>) as { type: string }).type,
    );
    expect(types).toEqual(["message.partially_delivered", "message.queued"]);
    for (const r of receiver.received) {
      const body = JSON.parse(r.body) as { type: string };
      expect(eventProblems(body.type, body)).toEqual([]);
    }
    expect(JSON.parse(receiver.received[0]!.body).data.refused).toEqual([
      { address: "b@example.com", reason: "550 5.1.1 no such user" },
    ]);
  });

  it("retries a failing receiver with backoff over about 3 days, then turns the endpoint off and tells the user", async () => {
    const { id } = await addWebhook({});
    receiver.reply = () => ({ status: 500 });
    await testEvent(id);
    let clock = new Date();
    const schedule: number[] = [];
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      expect(await runWebhookPass(clock)).toBe(1);
      // Nothing goes out again before its time.
      expect(await runWebhookPass(clock)).toBe(0);
      const row = await db.webhookDelivery.findFirstOrThrow({ where: { endpointId: id } });
      if (row.status === "failed") break;
      // In whole seconds: the pass adds the few real milliseconds the attempt took.
      schedule.push(Math.round((row.nextAttemptAt.getTime() - clock.getTime()) / 1000) * 1000);
      clock = row.nextAttemptAt;
    }
    expect(receiver.received).toHaveLength(MAX_ATTEMPTS);
    expect(schedule).toHaveLength(MAX_ATTEMPTS - 1);
    expect(schedule).toEqual([...schedule].sort((a, b) => a - b));
    const total = schedule.reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThan(2.5 * 86_400_000);
    expect(total).toBeLessThan(3.5 * 86_400_000);
    // Every attempt is in the log with its status and time.
    expect(await db.webhookAttempt.count({ where: { delivery: { endpointId: id }, statusCode: 500 } })).toBe(
      MAX_ATTEMPTS,
    );
    const hook = await callV1(key, "GET", "/webhooks/{id}", { params: { id } });
    expect((hook.body as { webhook: { disabledAt: string | null } }).webhook.disabledAt).not.toBeNull();
    expect(
      await db.auditEvent.count({ where: { userId: user.id, type: "webhook_disabled" } }),
    ).toBeGreaterThan(0);

    // Turned off, it gets nothing; turned back on, the waiting events go out.
    await testEvent(id);
    expect(await runWebhookPass(new Date(clock.getTime() + 1000))).toBe(0);
    receiver.reply = () => ({ status: 200 });
    await callV1(key, "PATCH", "/webhooks/{id}", { params: { id }, json: { enabled: true } });
    expect(await runWebhookPass(new Date(clock.getTime() + 2000))).toBe(1);
    expect(receiver.received.at(-1)!.body).toContain("webhook.test");
  });

  it("turns the endpoint off at once when the receiver answers 410 Gone", async () => {
    const { id } = await addWebhook({});
    receiver.reply = () => ({ status: 410 });
    await testEvent(id);
    await runWebhookPass();
    const row = await db.webhookEndpoint.findUniqueOrThrow({ where: { id } });
    expect(row.disabledAt).not.toBeNull();
    expect(row.disabledReason).toContain("410");
  });

  it("counts a redirect, a timeout as failures, and stops reading an oversized answer", async () => {
    const { id } = await addWebhook({});
    receiver.reply = () => ({ status: 302, headers: { location: "http://10.0.0.1/internal" } });
    await testEvent(id);
    await runWebhookPass();
    let row = await db.webhookDelivery.findFirstOrThrow({ where: { endpointId: id } });
    expect(row).toMatchObject({ status: "pending", lastStatus: 302 });
    expect(row.lastError).toContain("not followed");
    expect(receiver.received).toHaveLength(1);

    receiver.reply = () => ({ status: 200, hang: true });
    await runWebhookPass(row.nextAttemptAt);
    row = await db.webhookDelivery.findFirstOrThrow({ where: { endpointId: id } });
    expect(row.lastStatus).toBeNull();
    expect(row.lastError).toContain("no answer within 2000 ms");

    receiver.reply = () => ({ status: 200, bigBody: 50 * 1024 * 1024 });
    await runWebhookPass(row.nextAttemptAt);
    row = await db.webhookDelivery.findFirstOrThrow({ where: { endpointId: id } });
    expect(row.status).toBe("delivered");
  });

  it("refuses URLs that are not public https", async () => {
    const allowLoopback = env.WEBHOOK_ALLOW_LOOPBACK;
    (env as { WEBHOOK_ALLOW_LOOPBACK: boolean }).WEBHOOK_ALLOW_LOOPBACK = false;
    try {
      for (const url of [
        "http://example.com/hook",
        "https://10.1.2.3/hook",
        "https://[::1]/hook",
        receiver.url,
        "https://user:pw@example.com/",
      ]) {
        const res = await callV1(key, "POST", "/webhooks", { json: { url, events: ["message.sent"] } });
        expect(res.status, url).toBe(400);
        expect((res.body as { error: { fields: Record<string, unknown> } }).error.fields.url).toBeDefined();
      }
      const slack = await callV1(key, "POST", "/webhooks", {
        json: { url: "https://example.com/x", kind: "slack", events: ["message.failed"] },
      });
      expect(slack.status).toBe(400);
    } finally {
      (env as { WEBHOOK_ALLOW_LOOPBACK: boolean }).WEBHOOK_ALLOW_LOOPBACK = allowLoopback;
    }
  });

  it("loses nothing when the sender stops mid-schedule or dies holding a claim", async () => {
    const { id, secret } = await addWebhook({});
    receiver.reply = () => ({ status: 503 });
    await testEvent(id);
    // A running sender tries once and schedules a retry; then it is stopped, as on a restart.
    const sender = startWebhookSender({ pollMs: 50 });
    await vi.waitFor(() => expect(receiver.received.length).toBe(1));
    await sender.stop();
    const waiting = await db.webhookDelivery.findFirstOrThrow({ where: { endpointId: id } });
    expect(waiting).toMatchObject({ status: "pending", attempts: 1 });

    // The next process claims it at its time and dies before answering: its lease runs out, another takes it.
    const claimed = await claimDueDeliveries(waiting.nextAttemptAt, 10);
    expect(claimed.map((d) => d.id)).toEqual([waiting.id]);
    expect(await runWebhookPass(waiting.nextAttemptAt)).toBe(0);
    receiver.reply = () => ({ status: 200 });
    expect(await runWebhookPass(new Date(waiting.nextAttemptAt.getTime() + CLAIM_LEASE_MS + 1))).toBe(1);
    const done = await db.webhookDelivery.findFirstOrThrow({ where: { endpointId: id } });
    expect(done.status).toBe("delivered");
    // The same event, the same webhook-id on every try.
    expect(new Set(receiver.received.map((r) => r.headers["webhook-id"])).size).toBe(1);
    expect(
      new Webhook(secret!).verify(receiver.received.at(-1)!.body, headersOf(receiver.received.length - 1)),
    ).toBeTruthy();
  });

  it("delivers one endpoint's events in the order they happened", async () => {
    const { id } = await addWebhook({ events: ["message.failed"] });
    for (let i = 0; i < 30; i++) {
      await queueOutcomeEvent({
        messageId: `m${i}`,
        userId: user.id,
        subject: `n${i}`,
        kind: "failed",
        accepted: [],
        reason: "x",
        attempts: 1,
      });
    }
    await runWebhookPass();
    expect(receiver.received.map((r) => JSON.parse(r.body).data.subject)).toEqual(
      Array.from({ length: 30 }, (_, i) => `n${i}`),
    );
    expect(await db.webhookDelivery.count({ where: { endpointId: id, status: "delivered" } })).toBe(30);
  });

  it("replays a delivery with the same webhook-id", async () => {
    const { id } = await addWebhook({});
    await testEvent(id);
    await runWebhookPass();
    const [first] = (
      (await callV1(key, "GET", "/webhooks/{id}/deliveries", { params: { id } })).body as {
        deliveries: { id: string }[];
      }
    ).deliveries;
    const replay = await callV1(key, "POST", "/webhooks/{id}/deliveries/{deliveryId}/replay", {
      params: { id, deliveryId: first!.id },
    });
    expect(replay.status).toBe(202);
    await runWebhookPass();
    expect(receiver.received).toHaveLength(2);
    expect(receiver.received[1]!.headers["webhook-id"]).toBe(receiver.received[0]!.headers["webhook-id"]);
  });

  it("formats Slack (blocks) and Discord (embeds) notifications, at most one a second per webhook", async () => {
    const slack = await addWebhook({ kind: "slack", events: ["message.failed"] });
    expect(slack.secret).toBeNull();
    await queueOutcomeEvent({
      messageId: "s1",
      userId: user.id,
      subject: "Invoice",
      kind: "failed",
      accepted: [],
      reason: "mailbox full",
      attempts: 3,
    });
    await queueOutcomeEvent({
      messageId: "s2",
      userId: user.id,
      subject: "Second",
      kind: "failed",
      accepted: [],
      reason: "x",
      attempts: 3,
    });
    await runWebhookPass();
    expect(receiver.received).toHaveLength(1);
    const slackBody = JSON.parse(receiver.received[0]!.body) as { blocks: { type: string }[]; text: string };
    expect(slackBody.blocks[0]!.type).toBe("header");
    expect(slackBody.text).toContain("Invoice");
    expect(receiver.received[0]!.headers["webhook-signature"]).toBeUndefined();
    expect(await db.webhookDelivery.count({ where: { endpointId: slack.id, status: "pending" } })).toBe(1);

    await db.webhookEndpoint.deleteMany({ where: { id: slack.id } });
    const discord = await addWebhook({ kind: "discord", events: ["message.failed"] });
    await testEvent(discord.id);
    await runWebhookPass();
    const discordBody = JSON.parse(receiver.received.at(-1)!.body) as { embeds: { title: string }[] };
    expect(discordBody.embeds[0]!.title).toContain("Test");
  });
});
