import { beforeAll, describe, expect, it, vi } from "vitest";

vi.hoisted(() => {
  // Low enough to reach in a test; each test below uses its own key, so only the rate-limit test gets there.
  process.env.API_RATE_LIMIT_PER_MIN = "25";
  // Every key created checks the password; the password limit itself is tested in its own file.
  process.env.PASSWORD_RATE_LIMIT = "1000";
});

import { randomUUID } from "node:crypto";
import { DELETE as revokeKeyRoute } from "@/app/api/account/api-keys/[id]/route";
import { GET as listKeysRoute, POST as createKeyRoute } from "@/app/api/account/api-keys/route";
import { hashApiKey } from "@/lib/api-keys/keys";
import { db } from "@/lib/db/client";
import { callRoute, signUpUser, type TestUser } from "@/tests/support/api";
import { callV1, createTestKey, TEST_PASSWORD } from "@/tests/support/api-v1";

let alice: TestUser;
let bob: TestUser;
let aliceSender: string;

beforeAll(async () => {
  alice = await signUpUser("Alice");
  bob = await signUpUser("Bob");
  aliceSender = (await db.sender.findFirstOrThrow({ where: { userId: alice.id } })).id;
  // Messages wait in the undo window, so they can be cancelled (no delivery worker runs in this file).
  await db.user.update({ where: { id: alice.id }, data: { undoSendSeconds: 60 } });
});

const message = (over: Record<string, unknown> = {}) => ({
  senderId: aliceSender,
  to: [{ address: "friend@example.com", name: "Friend" }],
  subject: "Hello from the API",
  html: "<p>Hi</p>",
  ...over,
});

// The first call compiles the OpenAPI document's schemas, which takes seconds on a busy machine.
describe("API keys", { timeout: 30_000 }, () => {
  it("are created only with the account password, shown once, stored as a SHA-256 hash with a scannable prefix", async () => {
    const refused = await callRoute(createKeyRoute, {
      method: "POST",
      path: "/api/account/api-keys",
      user: alice,
      json: { name: "CRM", scopes: ["messages:send"], password: "not my password" },
    });
    expect(refused.status).toBe(400);
    expect((await refused.json()).error.fields.password).toBeDefined();

    const noPassword = await callRoute(createKeyRoute, {
      method: "POST",
      path: "/api/account/api-keys",
      user: alice,
      json: { name: "CRM", scopes: ["messages:send"] },
    });
    expect(noPassword.status).toBe(400);

    const { key, id } = await createTestKey(alice, { name: "CRM", scopes: ["messages:send"] });
    expect(key).toMatch(/^sv_live_[0-9A-Za-z]{32}$/);
    const row = await db.apiKey.findUniqueOrThrow({ where: { id } });
    expect(row.keyHash).toBe(hashApiKey(key));
    expect(JSON.stringify(row)).not.toContain(key.slice(8));
    expect(row.prefix).toBe(key.slice(0, 12));

    const list = await callRoute(listKeysRoute, { path: "/api/account/api-keys", user: alice });
    const text = await list.text();
    expect(text).toContain("CRM");
    expect(text).not.toContain(key);
    const audit = await db.auditEvent.count({ where: { userId: alice.id, type: "api_key_created" } });
    expect(audit).toBeGreaterThan(0);
  });

  it("refuses unknown scopes and expiry dates in the past", async () => {
    for (const json of [
      { name: "x", scopes: ["billing:manage"], password: TEST_PASSWORD },
      { name: "x", scopes: ["messages:read"], expiresAt: "2001-01-01T00:00:00Z", password: TEST_PASSWORD },
    ]) {
      const res = await callRoute(createKeyRoute, {
        method: "POST",
        path: "/api/account/api-keys",
        user: alice,
        json,
      });
      expect(res.status).toBe(400);
    }
  });

  it("answers 401 without a key, with a malformed or unknown one; 403 naming the missing scope", async () => {
    expect((await callV1(null, "GET", "/messages")).status).toBe(401);
    expect((await callV1("sv_live_short", "GET", "/messages")).status).toBe(401);
    expect((await callV1(`sv_live_${"A".repeat(32)}`, "GET", "/messages")).status).toBe(401);
    const { key } = await createTestKey(alice, { scopes: ["messages:read"] });
    const res = await callV1(key, "POST", "/messages", { json: message() });
    expect(res.status).toBe(403);
    expect((res.body as { error: { message: string } }).error.message).toContain("messages:send");
    expect((await callV1(key, "GET", "/messages")).status).toBe(200);
  });

  it("stops working when revoked, and after its expiry; records when it was last used", async () => {
    const { key, id } = await createTestKey(alice, { scopes: ["messages:read"] });
    expect((await callV1(key, "GET", "/messages")).status).toBe(200);
    expect((await db.apiKey.findUniqueOrThrow({ where: { id } })).lastUsedAt).not.toBeNull();

    const bobTries = await callRoute(revokeKeyRoute, { method: "DELETE", user: bob, params: { id } });
    expect(bobTries.status).toBe(404);
    const revoked = await callRoute(revokeKeyRoute, { method: "DELETE", user: alice, params: { id } });
    expect(revoked.status).toBe(200);
    const after = await callV1(key, "GET", "/messages");
    expect(after.status).toBe(401);
    expect((after.body as { error: { message: string } }).error.message).toContain("revoked");

    const soon = await createTestKey(alice, {
      scopes: ["messages:read"],
      expiresAt: new Date(Date.now() + 60_000).toISOString(),
    });
    expect((await callV1(soon.key, "GET", "/messages")).status).toBe(200);
    await db.apiKey.update({ where: { id: soon.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const expired = await callV1(soon.key, "GET", "/messages");
    expect(expired.status).toBe(401);
    expect((expired.body as { error: { message: string } }).error.message).toContain("expired");
  });
});

describe("/api/v1 messages", { timeout: 30_000 }, () => {
  it("sends, replays the same key and body, refuses the same key with another body (409)", async () => {
    const { key } = await createTestKey(alice);
    const idempotencyKey = randomUUID();
    const first = await callV1(key, "POST", "/messages", {
      json: message(),
      headers: { "Idempotency-Key": idempotencyKey },
    });
    expect(first.status).toBe(202);
    const sent = (first.body as { message: { id: string; status: string } }).message;
    expect(sent.status).toBe("queued");

    const again = await callV1(key, "POST", "/messages", {
      json: message(),
      headers: { "Idempotency-Key": idempotencyKey },
    });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ replayed: true, message: { id: sent.id } });

    const other = await callV1(key, "POST", "/messages", {
      json: message({ subject: "Something else" }),
      headers: { "Idempotency-Key": idempotencyKey },
    });
    expect(other.status).toBe(409);
    expect(await db.message.count({ where: { userId: alice.id, idempotencyKey } })).toBe(1);
  });

  it("refuses a bad Idempotency-Key header, a key inside the body, malformed JSON and invalid fields with 400", async () => {
    const { key } = await createTestKey(alice);
    const badHeader = await callV1(key, "POST", "/messages", {
      json: message(),
      headers: { "Idempotency-Key": "abc" },
    });
    expect(badHeader.status).toBe(400);
    const inBody = await callV1(key, "POST", "/messages", {
      json: { ...message(), idempotencyKey: randomUUID() },
      skipRequestCheck: true,
    });
    expect(inBody.status).toBe(400);
    const malformed = await callV1(key, "POST", "/messages", { rawBody: "{nope" });
    expect((malformed.body as { error: { code: string } }).error.code).toBe("invalid_json");
    const noRecipients = await callV1(key, "POST", "/messages", { json: message({ to: [] }) });
    expect(noRecipients.status).toBe(400);
    expect(
      (noRecipients.body as { error: { fields: Record<string, string[]> } }).error.fields.to,
    ).toBeDefined();
  });

  it("lists with a cursor, reads one with per-recipient outcomes, cancels a waiting one", async () => {
    const { key } = await createTestKey(alice);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await callV1(key, "POST", "/messages", {
        json: message({ subject: `Paged ${i}` }),
        headers: { "Idempotency-Key": randomUUID() },
      });
      ids.push((res.body as { message: { id: string } }).message.id);
    }
    const page1 = await callV1(key, "GET", "/messages", { query: "?limit=2&q=paged" });
    const p1 = page1.body as { items: { id: string }[]; nextCursor: string | null };
    expect(p1.items.map((m) => m.id)).toEqual([ids[2], ids[1]]);
    const page2 = await callV1(key, "GET", "/messages", {
      query: `?limit=2&q=paged&cursor=${p1.nextCursor}`,
    });
    expect((page2.body as { items: { id: string }[] }).items.map((m) => m.id)).toEqual([ids[0]]);

    const one = await callV1(key, "GET", "/messages/{id}", { params: { id: ids[0]! } });
    expect(one.body).toMatchObject({
      message: { id: ids[0], recipients: [{ address: "friend@example.com", state: "pending" }] },
    });

    const cancelled = await callV1(key, "POST", "/messages/{id}/cancel", { params: { id: ids[0]! } });
    expect(cancelled.body).toMatchObject({ message: { status: "cancelled" } });
    await db.message.update({ where: { id: ids[1]! }, data: { status: "sent", sentAt: new Date() } });
    expect((await callV1(key, "POST", "/messages/{id}/cancel", { params: { id: ids[1]! } })).status).toBe(
      409,
    );
  });

  it("never reaches another account's messages or senders with a key", async () => {
    const { key: bobKey } = await createTestKey(bob);
    const { key } = await createTestKey(alice);
    const res = await callV1(key, "POST", "/messages", {
      json: message(),
      headers: { "Idempotency-Key": randomUUID() },
    });
    const id = (res.body as { message: { id: string } }).message.id;
    expect((await callV1(bobKey, "GET", "/messages/{id}", { params: { id } })).status).toBe(404);
    expect((await callV1(bobKey, "POST", "/messages/{id}/cancel", { params: { id } })).status).toBe(404);
    expect(
      (
        await callV1(bobKey, "POST", "/messages", {
          json: message(),
          headers: { "Idempotency-Key": randomUUID() },
        })
      ).status,
    ).toBe(404);
    const bobList = (await callV1(bobKey, "GET", "/messages")).body as { items: unknown[] };
    expect(bobList.items).toEqual([]);
  });

  it("lists senders without their secrets", async () => {
    const { key } = await createTestKey(alice, { scopes: ["senders:read"] });
    const res = await callV1(key, "GET", "/senders");
    const text = JSON.stringify(res.body);
    expect((res.body as { senders: { id: string }[] }).senders.map((s) => s.id)).toContain(aliceSender);
    expect(text).not.toMatch(/secret|password|cipher/i);
  });

  it("reports the key's standing in RateLimit headers and answers 429 with Retry-After past the limit", async () => {
    const { key } = await createTestKey(alice, { scopes: ["messages:read"] });
    const first = await callV1(key, "GET", "/messages");
    expect(first.headers.get("RateLimit-Policy")).toBe('"per-key";q=25;w=60');
    expect(first.headers.get("RateLimit")).toMatch(/^"per-key";r=24;t=\d+$/);
    let last = first;
    for (let i = 0; i < 25; i++) last = await callV1(key, "GET", "/messages");
    expect(last.status).toBe(429);
    expect(Number(last.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect(last.headers.get("RateLimit")).toMatch(/^"per-key";r=0;/);
    // Another key of the same user has its own budget.
    const { key: other } = await createTestKey(alice, { scopes: ["messages:read"] });
    expect((await callV1(other, "GET", "/messages")).status).toBe(200);
  });
});
