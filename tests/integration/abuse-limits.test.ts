// Abuse limits on sending and connection tests, with low limits set for this file only.
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it, vi } from "vitest";

vi.hoisted(() => {
  Object.assign(process.env, {
    SEND_RATE_LIMIT_PER_MIN: "5",
    SEND_SENDER_RATE_LIMIT_PER_MIN: "3",
    SEND_DAILY_QUOTA: "4",
    TEST_CONNECTION_RATE_LIMIT: "2",
  });
});

import { POST as postMessage } from "@/app/api/messages/route";
import { POST as testConnection } from "@/app/api/senders/[id]/test/route";
import { db } from "@/lib/db/client";
import { createSender } from "@/lib/senders/senders";
import { callRoute, signUpUser, type TestUser } from "@/tests/support/api";

const send = (user: TestUser, senderId: string, idempotencyKey: string = randomUUID(), recipients = 1) =>
  callRoute(postMessage, {
    method: "POST",
    user,
    json: {
      idempotencyKey,
      senderId,
      to: Array.from({ length: recipients }, (_, i) => ({ address: `a${i}@example.com` })),
      subject: "s",
      html: "<p>x</p>",
    },
  });

async function senderIds(user: TestUser): Promise<[string, string]> {
  const sandbox = await db.sender.findFirstOrThrow({ where: { userId: user.id } });
  const other = await createSender(user.id, { preset: "gmail", fromEmail: user.email, password: "pw" });
  return [sandbox.id, other.id];
}

describe("send rate limits", () => {
  let user: TestUser;
  let a: string;
  let b: string;
  beforeAll(async () => {
    user = await signUpUser();
    [a, b] = await senderIds(user);
  });

  it("limits per sender, then per user, with 429 and Retry-After; replays still answer", async () => {
    const firstKey = randomUUID();
    expect((await send(user, a, firstKey)).status).toBe(202);
    expect((await send(user, a)).status).toBe(202);
    expect((await send(user, a)).status).toBe(202);
    const perSender = await send(user, a);
    expect(perSender.status).toBe(429);
    expect(Number(perSender.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await perSender.json()).error.message).toMatch(/this sender/);
    // The user-wide limit (5/min) has counted the refused attempt too: one more through sender b, then 429.
    expect((await send(user, b)).status).toBe(202);
    const perUser = await send(user, b);
    expect(perUser.status).toBe(429);
    expect((await perUser.json()).error.message).toMatch(/too many messages/i);
    // An offline replay of a stored message is answered, not refused.
    expect((await send(user, a, firstKey)).status).toBe(200);
  });
});

describe("daily send quota", () => {
  it("refuses the message past SEND_DAILY_QUOTA in 24 hours with 429 naming the quota", async () => {
    const user = await signUpUser();
    const [sandbox] = await senderIds(user);
    // Three messages within the day and one from 25 hours ago (which no longer counts).
    const rows = [0, 1, 2, 25].map((hoursAgo) => ({
      userId: user.id,
      senderId: sandbox,
      idempotencyKey: randomUUID(),
      requestHash: "x",
      messageIdHeader: `<${randomUUID()}@example.com>`,
      fromEmail: user.email,
      to: [],
      cc: [],
      bcc: [],
      subject: "old",
      html: "",
      searchText: "",
      status: "sent",
      createdAt: new Date(Date.now() - hoursAgo * 3_600_000),
    }));
    await db.message.createMany({ data: rows });
    expect((await send(user, sandbox)).status).toBe(202); // the 4th in 24 h
    const res = await send(user, sandbox);
    expect(res.status).toBe(429);
    expect((await res.json()).error.message).toMatch(/daily sending quota of 4 recipients/);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(3600);
  });

  it("counts recipients, not messages: one message to more addresses than the quota is refused", async () => {
    const user = await signUpUser();
    const [sandbox] = await senderIds(user);
    const tooMany = await send(user, sandbox, randomUUID(), 5);
    expect(tooMany.status).toBe(429);
    expect((await tooMany.json()).error.message).toMatch(/quota of 4 recipients/);
    expect(await db.message.count({ where: { userId: user.id } })).toBe(0);
    expect((await send(user, sandbox, randomUUID(), 3)).status).toBe(202);
    // Three of four used: a message to two more does not fit (as a message count, it would be the 2nd of 4).
    const over = await send(user, sandbox, randomUUID(), 2);
    expect(over.status).toBe(429);
    expect((await over.json()).error.message).toMatch(/1 left, this message has 2/);
  });
});

describe("test connection", () => {
  it("is rate limited per user", async () => {
    const user = await signUpUser();
    const [sandbox] = await senderIds(user);
    const run = () => callRoute(testConnection, { method: "POST", user, params: { id: sandbox } });
    expect((await run()).status).toBe(200);
    expect((await run()).status).toBe(200);
    const limited = await run();
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBeTruthy();
  });
});
