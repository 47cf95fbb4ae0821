import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { POST as postMessage } from "@/app/api/messages/route";
import { POST as postOutbox } from "@/app/api/outbox/route";
import { db } from "@/lib/db/client";
import { MAX_OUTBOX_BATCH } from "@/lib/validation/messages";
import { callRoute, signUpUser, type TestUser } from "@/tests/support/api";

let alice: TestUser;
let bob: TestUser;
let aliceSandbox: string;

beforeAll(async () => {
  alice = await signUpUser("Alice");
  bob = await signUpUser("Bob");
  aliceSandbox = (await db.sender.findFirstOrThrow({ where: { userId: alice.id } })).id;
});

const message = (overrides: Record<string, unknown> = {}) => ({
  idempotencyKey: randomUUID(),
  senderId: aliceSandbox,
  to: [{ address: "carol@example.com" }],
  subject: "From the outbox",
  html: "<p>Hello</p>",
  ...overrides,
});

const replay = (messages: unknown[], user: TestUser | null = alice) =>
  callRoute(postOutbox, { method: "POST", path: "/api/outbox", user, json: { messages } });

type Result = {
  status: number;
  message?: { id: string; idempotencyKey: string };
  error?: { code: string; fields?: Record<string, string[]> };
};

describe("POST /api/outbox", () => {
  it("stores each message once and answers for each, in order, as POST /api/messages would", async () => {
    const sentBefore = message();
    const stored = await callRoute(postMessage, {
      method: "POST",
      path: "/api/messages",
      user: alice,
      json: sentBefore,
    });
    expect(stored.status).toBe(202);
    const fresh = message();
    const conflicting = message({ idempotencyKey: sentBefore.idempotencyKey, subject: "Another message" });
    const invalid = message({ to: [{ address: "not an address" }] });

    const res = await replay([fresh, sentBefore, conflicting, invalid]);
    expect(res.status).toBe(200);
    const { results } = (await res.json()) as { results: Result[] };
    expect(results.map((r) => r.status)).toEqual([202, 200, 409, 400]);
    expect(results[0]!.message!.idempotencyKey).toBe(fresh.idempotencyKey);
    expect(results[1]!.message!.idempotencyKey).toBe(sentBefore.idempotencyKey);
    expect(results[2]!.error!.code).toBe("conflict");
    expect(results[3]!.error!.fields).toHaveProperty(["to.0.address"]);

    const rows = await db.message.findMany({
      where: {
        userId: alice.id,
        idempotencyKey: { in: [fresh.idempotencyKey, sentBefore.idempotencyKey, invalid.idempotencyKey] },
      },
    });
    expect(rows.map((r) => r.idempotencyKey).sort()).toEqual(
      [fresh.idempotencyKey, sentBefore.idempotencyKey].sort(),
    );
  });

  it("stores a batch replayed twice only once", async () => {
    const batch = Array.from({ length: 10 }, () => message());
    const first = (await (await replay(batch)).json()) as { results: Result[] };
    const second = (await (await replay(batch)).json()) as { results: Result[] };
    expect(first.results.every((r) => r.status === 202)).toBe(true);
    expect(second.results.every((r) => r.status === 200)).toBe(true);
    expect(second.results.map((r) => r.message!.id)).toEqual(first.results.map((r) => r.message!.id));
    const count = await db.message.count({
      where: { userId: alice.id, idempotencyKey: { in: batch.map((m) => m.idempotencyKey) } },
    });
    expect(count).toBe(10);
  });

  it("gives another user's sender a 404 for that message and stores nothing for it", async () => {
    const stolen = message();
    const res = await replay([stolen], bob);
    expect(res.status).toBe(200);
    const { results } = (await res.json()) as { results: Result[] };
    expect(results[0]).toMatchObject({ status: 404, error: { code: "not_found" } });
    expect(await db.message.count({ where: { idempotencyKey: stolen.idempotencyKey } })).toBe(0);
  });

  it.each([
    ["no messages", { messages: [] }],
    ["too many messages", { messages: Array.from({ length: MAX_OUTBOX_BATCH + 1 }, () => message()) }],
    ["no list", { message: message() }],
  ])("refuses %s with 400 and field errors", async (_name, json) => {
    const res = await callRoute(postOutbox, { method: "POST", path: "/api/outbox", user: alice, json });
    expect(res.status).toBe(400);
    expect((await res.json()).error.fields).toHaveProperty("messages");
  });

  it("answers 401 without a session", async () => {
    expect((await replay([message()], null)).status).toBe(401);
  });
});
