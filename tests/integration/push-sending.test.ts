import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

vi.hoisted(() => {
  Object.assign(process.env, {
    // The tests' push service listens on loopback over plain http.
    PUSH_ALLOW_LOOPBACK: "true",
    PUSH_TIMEOUT_MS: "3000",
    PUSH_RETRY_NOTIFY_AFTER: "2",
  });
});

import http from "node:http";
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { POST as saveSubscription } from "@/app/api/push/subscriptions/route";
import { db } from "@/lib/db/client";
import type { DeliveryOutcome } from "@/lib/delivery/outcomes";
import { startDeliveryWorker, type DeliveryWorker } from "@/lib/delivery/worker";
import { closeAllPools } from "@/lib/mail/transport";
import {
  notifyDeliveryOutcome,
  startPushNotifications,
  stopPushNotifications,
} from "@/lib/push/outcome-notifications";
import { parsePushPayload, type PushPayload } from "@/lib/push/payload";
import { updatePushPreferences } from "@/lib/push/preferences";
import { pushResults } from "@/lib/push/results";
import { getVapidPublicKey } from "@/lib/push/vapid";
import {
  addLoopbackSender,
  callRoute,
  enqueueTestMessage,
  signUpUser,
  type TestUser,
} from "@/tests/support/api";
import { draftCampaign, feedUntilDone, recipientsCsv, startCampaignRoute } from "@/tests/support/campaigns";
import { startTestPushService, type Behaviour, type TestPushService } from "@/tests/support/push-service";
import { startTestSmtpServer, type TestSmtpServer } from "@/tests/support/smtp-test-server";

// The whole chain below the browser: a delivery outcome → the listener → web-push encryption and VAPID →
// a push service on loopback that verifies the JWT and decrypts the payload like a real one.
let push: TestPushService;
let smtp: TestSmtpServer;
let worker: DeliveryWorker;

beforeAll(async () => {
  push = await startTestPushService({ expectedVapidKey: getVapidPublicKey });
  smtp = await startTestSmtpServer({
    users: { "me@acme.test": "pw" },
    rejectRecipients: ["ghost@acme.test"],
  });
  worker = startDeliveryWorker({ pollMs: 60_000, maxInFlight: 3 });
  startPushNotifications();
});

afterAll(async () => {
  stopPushNotifications();
  await worker.stop();
  closeAllPools();
  await smtp.close();
  await push.close();
});

async function newUserWithDevices(...behaviours: Behaviour[]) {
  const user = await signUpUser();
  const devices = [];
  for (const behaviour of behaviours) {
    const sub = push.subscribe(behaviour);
    const res = await callRoute(saveSubscription, { method: "POST", user, json: sub });
    expect(res.status).toBe(201);
    devices.push(sub);
  }
  return { user, devices };
}

async function addSender(user: TestUser, port: number) {
  return (await addLoopbackSender(user, port)).id;
}

async function deliver(id: string) {
  await db.message.update({ where: { id }, data: { nextAttemptAt: new Date() } });
  await worker.drain();
  return db.message.findUniqueOrThrow({ where: { id } });
}

function pushesFor(messageId: string) {
  return received().flatMap(({ payload, ...r }) =>
    payload && "messageId" in payload && payload.messageId === messageId ? [{ ...r, payload }] : [],
  );
}

function received() {
  return push.received.map((r) => ({
    ...r,
    payload: parsePushPayload(JSON.parse(r.text)) as PushPayload | null,
  }));
}

function outcome(userId: string, change: Partial<DeliveryOutcome> = {}): DeliveryOutcome {
  return {
    messageId: crypto.randomUUID(),
    userId,
    subject: "Direct",
    kind: "delivered",
    accepted: ["a@example.com"],
    reason: null,
    attempts: 1,
    ...change,
  };
}

describe("push notifications on delivery outcomes", () => {
  it("delivered: the device gets a VAPID-signed, encrypted 'Delivered to …' with the subject", async () => {
    const { user, devices } = await newUserWithDevices("accept");
    const id = await enqueueTestMessage(user, await addSender(user, smtp.port), {
      to: ["alice@example.com"],
      subject: "Re: contract",
      html: "<p>The secret body</p>",
    });
    expect((await deliver(id)).status).toBe("sent");

    await vi.waitFor(() => expect(pushesFor(id)).toHaveLength(1));
    const [received] = pushesFor(id);
    expect(received!.payload).toEqual({
      v: 1,
      messageId: id,
      outcome: "delivered",
      title: "Delivered to alice@example.com",
      body: "Re: contract",
      url: `/messages/${id}`,
    });
    expect(received!.text).not.toContain("secret body");
    expect(received!.subscriptionId).toBe(devices[0]!.id);
    expect(received!.headers).toMatchObject({ urgency: "normal", ttl: "86400" });
    expect(received!.headers.topic).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(received!.claims.sub).toMatch(/^(mailto:|https:)/);
    expect(push.refused).toEqual([]);
    await vi.waitFor(async () =>
      expect(
        (await db.pushSubscription.findUniqueOrThrow({ where: { endpoint: devices[0]!.endpoint } }))
          .lastSuccessAt,
      ).not.toBeNull(),
    );
  });

  it("failed for good (550 on RCPT): 'Not delivered to <address>: Mailbox does not exist', high urgency", async () => {
    const { user } = await newUserWithDevices("accept");
    const id = await enqueueTestMessage(user, await addSender(user, smtp.port), {
      to: ["ghost@acme.test"],
      subject: "Quarterly numbers",
    });
    expect((await deliver(id)).status).toBe("failed");
    await vi.waitFor(() => expect(pushesFor(id)).toHaveLength(1));
    const [received] = pushesFor(id);
    expect(received!.payload).toMatchObject({
      outcome: "failed",
      title: "Not delivered to ghost@acme.test: Mailbox does not exist",
      body: "Quarterly numbers",
    });
    expect(received!.headers).toMatchObject({ urgency: "high", ttl: String(7 * 24 * 3600) });
  });

  it("still trying: said once, when the temporary failures reach PUSH_RETRY_NOTIFY_AFTER", async () => {
    let rcpts = 0;
    const flaky = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS"],
      allowInsecureAuth: true,
      onAuth: (_a, _s, cb) => cb(null, { user: "me" }),
      logger: false,
      disableReverseLookup: true,
      // Three temporary failures, then accepted.
      onRcptTo: (_a, _s, cb) =>
        ++rcpts <= 3
          ? cb(Object.assign(new Error("4.7.1 Greylisted, try later"), { responseCode: 451 }))
          : cb(),
      onData: (stream, _s, cb) => stream.on("end", () => cb()).resume(),
    });
    await new Promise<void>((resolve) => flaky.listen(0, "127.0.0.1", resolve));
    try {
      const { user } = await newUserWithDevices("accept");
      const port = (flaky.server.address() as AddressInfo).port;
      const id = await enqueueTestMessage(user, await addSender(user, port), {
        to: ["bob@example.com"],
        subject: "Hi",
      });
      for (const expected of ["queued", "queued", "queued", "sent"])
        expect((await deliver(id)).status).toBe(expected);
      await vi.waitFor(() =>
        expect(
          pushesFor(id)
            .map((p) => p.payload.outcome)
            .sort(),
        ).toEqual(["delivered", "retrying"]),
      );
      const retrying = pushesFor(id).find((p) => p.payload.outcome === "retrying")!;
      expect(retrying.payload.title).toBe("Still trying to deliver (2 attempts so far)");
      expect(retrying.payload.body).toBe("Hi · Greylisted, try later");
    } finally {
      closeAllPools();
      await new Promise<void>((resolve) => flaky.close(() => resolve()));
    }
  });

  it("respects the user's preferences", async () => {
    const { user } = await newUserWithDevices("accept");
    await updatePushPreferences(user.id, { delivered: false });
    const before = push.requests();
    await notifyDeliveryOutcome(outcome(user.id));
    expect(push.requests()).toBe(before);
    const failed = outcome(user.id, { kind: "failed", reason: "nope" });
    await notifyDeliveryOutcome(failed);
    expect(pushesFor(failed.messageId)).toHaveLength(1);
  });

  it("a 404 or 410 deletes that subscription; other errors keep it and are counted; other devices still get it", async () => {
    const { user, devices } = await newUserWithDevices(
      { status: 410 },
      { status: 404 },
      { status: 500 },
      "accept",
    );
    const before = { ...pushResults };
    const sent = outcome(user.id);
    await notifyDeliveryOutcome(sent);

    const left = await db.pushSubscription.findMany({
      where: { userId: user.id },
      select: { endpoint: true },
    });
    expect(left.map((d) => d.endpoint).sort()).toEqual([devices[2]!.endpoint, devices[3]!.endpoint].sort());
    expect(pushesFor(sent.messageId).map((p) => p.subscriptionId)).toEqual([devices[3]!.id]);
    expect(pushResults.expired - before.expired).toBe(2);
    expect(pushResults.rejected - before.rejected).toBe(1);
    expect(pushResults.sent - before.sent).toBe(1);
  });

  it("a push service that hangs or refuses connections delays neither delivery nor the other devices", async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));

    const { user, devices } = await newUserWithDevices("hang", "accept");
    // A device whose push service is down: nothing listens on its port any more.
    const refused = push.subscribe();
    const res = await callRoute(saveSubscription, {
      method: "POST",
      user,
      json: { ...refused, endpoint: `http://127.0.0.1:${closedPort}/push/${refused.id}` },
    });
    expect(res.status).toBe(201);
    const before = { ...pushResults };

    const id = await enqueueTestMessage(user, await addSender(user, smtp.port), { to: ["c@example.com"] });
    const started = Date.now();
    const message = await deliver(id);
    expect(message.status).toBe("sent");
    expect(Date.now() - started).toBeLessThan(1500); // PUSH_TIMEOUT_MS is 3000 here

    // The healthy device is not held up by the hanging one.
    await vi.waitFor(() => expect(pushesFor(id).map((p) => p.subscriptionId)).toEqual([devices[1]!.id]), {
      timeout: 1500,
    });
    await vi.waitFor(() => expect(pushResults.timeout - before.timeout).toBe(1), { timeout: 6000 });
    expect(pushResults.unreachable - before.unreachable).toBe(1);
    // Neither failure is the browser dropping its subscription: both devices are kept.
    expect(await db.pushSubscription.count({ where: { userId: user.id } })).toBe(3);
  });

  it("never connects to a private address, even for a subscription stored before the check", async () => {
    const user = await signUpUser();
    const sub = push.subscribe();
    await db.pushSubscription.create({
      data: {
        userId: user.id,
        endpoint: "https://0.0.0.0:9/push/x",
        p256dh: sub.keys.p256dh,
        auth: sub.keys.auth,
      },
    });
    const before = pushResults.blocked;
    await notifyDeliveryOutcome(outcome(user.id));
    expect(pushResults.blocked - before).toBe(1);
  });

  it("a stored key that cannot encrypt is counted, not thrown, and the user's other devices still get it", async () => {
    const { user, devices } = await newUserWithDevices("accept");
    const broken = push.subscribe();
    await db.pushSubscription.create({
      data: {
        userId: user.id,
        endpoint: broken.endpoint,
        p256dh: "B" + "A".repeat(86),
        auth: broken.keys.auth,
      },
    });
    const before = pushResults.invalid;
    const sent = outcome(user.id);
    await notifyDeliveryOutcome(sent);
    expect(pushResults.invalid - before).toBe(1);
    expect(pushesFor(sent.messageId).map((p) => p.subscriptionId)).toEqual([devices[0]!.id]);
  });

  it("a campaign's messages notify no device per recipient; the user's own mail still does", async () => {
    const { user } = await newUserWithDevices("accept");
    const senderId = await addSender(user, smtp.port);
    const campaignId = await draftCampaign(user, recipientsCsv(5, "merge.test"), senderId);
    expect((await startCampaignRoute(user, campaignId)).status).toBe(200);
    expect(await feedUntilDone(campaignId, () => worker.drain())).toBe("done");
    const rows = await db.campaignRecipient.findMany({
      where: { campaignId },
      select: { status: true, id: true },
    });
    expect(rows.map((r) => r.status)).toEqual(Array(5).fill("sent"));

    // An ordinary message after them: once its notification is in, any of theirs would have come first.
    const own = await enqueueTestMessage(user, senderId, { to: ["alice@example.com"], subject: "Mine" });
    expect((await deliver(own)).status).toBe("sent");
    await vi.waitFor(() => expect(pushesFor(own)).toHaveLength(1));
    expect(rows.flatMap((r) => pushesFor(r.id))).toEqual([]);
    // The campaign itself says once that it is done, with its counts, and a tap opens its page.
    const campaignName = (await db.campaign.findUniqueOrThrow({ where: { id: campaignId } })).name;
    const finished = received().filter((r) => r.payload?.outcome === "campaign-finished");
    expect(finished.map((r) => r.payload)).toEqual([
      {
        v: 1,
        campaignId,
        outcome: "campaign-finished",
        title: `Campaign “${campaignName}” finished`,
        body: "5 sent",
        url: `/campaigns/${campaignId}`,
      },
    ]);
  });

  it("a finished campaign with failures says how many, and follows the preferences", async () => {
    const { user } = await newUserWithDevices("accept");
    const senderId = await addSender(user, smtp.port);
    // ghost@acme.test is refused by the server for good.
    const csv = "email,first_name\nann@merge.test,Ann\nghost@acme.test,Ghost\nnot-an-address,Nobody\n";
    const runToEnd = async (id: string) => {
      expect((await startCampaignRoute(user, id)).status).toBe(200);
      expect(await feedUntilDone(id, () => worker.drain())).toBe("done");
    };
    const first = await draftCampaign(user, csv, senderId);
    await runToEnd(first);
    const finishedFor = (id: string) =>
      received().filter((r) => r.payload && "campaignId" in r.payload && r.payload.campaignId === id);
    await vi.waitFor(() => expect(finishedFor(first)).toHaveLength(1));
    expect(finishedFor(first)[0]!.payload!.body).toBe("1 sent · 1 failed · 1 not sent");
    expect(finishedFor(first)[0]!.headers.urgency).toBe("high");

    // Delivery notifications off, failure ones on: a campaign that failed nowhere says nothing.
    await updatePushPreferences(user.id, { delivered: false });
    const second = await draftCampaign(user, "email,first_name\nbo@merge.test,Bo\n", senderId);
    await runToEnd(second);
    const own = await enqueueTestMessage(user, senderId, { to: ["ghost@acme.test"], subject: "Mine" });
    expect((await deliver(own)).status).toBe("failed");
    await vi.waitFor(() => expect(pushesFor(own)).toHaveLength(1));
    expect(finishedFor(second)).toEqual([]);
  });
});
