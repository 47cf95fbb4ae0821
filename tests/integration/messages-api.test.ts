import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { GET as getMessage } from "@/app/api/messages/[id]/route";
import { GET as listMessages, POST as postMessage } from "@/app/api/messages/route";
import { db } from "@/lib/db/client";
import { callRoute, signUpUser, type TestUser } from "@/tests/support/api";

let alice: TestUser;
let bob: TestUser;
let aliceSandbox: string;
let bobSandbox: string;

beforeAll(async () => {
  alice = await signUpUser("Alice");
  bob = await signUpUser("Bob");
  aliceSandbox = (await db.sender.findFirstOrThrow({ where: { userId: alice.id } })).id;
  bobSandbox = (await db.sender.findFirstOrThrow({ where: { userId: bob.id } })).id;
});

const validBody = (overrides: Record<string, unknown> = {}) => ({
  idempotencyKey: randomUUID(),
  senderId: aliceSandbox,
  to: [{ address: "carol@example.com", name: "Carol" }],
  subject: "Quarterly numbers",
  html: "<p>Hello <strong>Carol</strong></p>",
  ...overrides,
});

const send = (json: unknown, user: TestUser | null = alice) =>
  callRoute(postMessage, { method: "POST", path: "/api/messages", user, json });

describe("POST /api/messages", () => {
  it("stores the message with its outbox state and a Message-ID, and answers 202", async () => {
    const res = await send(validBody());
    expect(res.status).toBe(202);
    const { message } = await res.json();
    expect(message).toMatchObject({
      status: "queued",
      subject: "Quarterly numbers",
      to: [{ address: "carol@example.com" }],
    });
    const stored = await db.message.findUniqueOrThrow({ where: { id: message.id } });
    expect(stored).toMatchObject({ status: "queued", attempts: 0, leaseUntil: null });
    expect(stored.messageIdHeader).toMatch(/^<[0-9a-f-]+@example\.com>$/);
  });

  it("sanitizes the HTML on the server", async () => {
    const res = await send(
      validBody({
        html: '<p onclick="x()">Hi <a href="javascript:alert(1)">there</a></p><script>alert(1)</script>',
      }),
    );
    const { message } = await res.json();
    const stored = await db.message.findUniqueOrThrow({ where: { id: message.id } });
    expect(stored.html).not.toMatch(/script|onclick|javascript:/);
    expect(stored.html).toContain("Hi <a");
  });

  it("returns the same message for a repeated idempotency key and never stores a second one", async () => {
    const body = validBody();
    const first = await (await send(body)).json();
    const again = await send(body);
    expect(again.status).toBe(200);
    expect((await again.json()).message.id).toBe(first.message.id);
    expect(await db.message.count({ where: { idempotencyKey: body.idempotencyKey } })).toBe(1);
  });

  it("stores one message when the same key arrives concurrently", async () => {
    const body = validBody();
    const responses = await Promise.all([send(body), send(body), send(body)]);
    expect(responses.map((r) => r.status).sort()).toEqual([200, 200, 202]);
    expect(await db.message.count({ where: { idempotencyKey: body.idempotencyKey } })).toBe(1);
  });

  const tooMany = Array.from({ length: 101 }, (_, i) => ({ address: `r${i}@example.com` }));
  const badInputs: [string, () => Promise<Response>, number, string, string | null][] = [
    [
      "malformed JSON",
      () => callRoute(postMessage, { method: "POST", user: alice, rawBody: '{"to": [' }),
      400,
      "invalid_json",
      null,
    ],
    [
      "a non-JSON content type",
      () =>
        callRoute(postMessage, {
          method: "POST",
          user: alice,
          rawBody: "x",
          headers: { "content-type": "text/plain" },
        }),
      415,
      "unsupported_media_type",
      null,
    ],
    ["no recipients", () => send(validBody({ to: [] })), 400, "validation_failed", "to"],
    [
      "an invalid recipient",
      () => send(validBody({ to: [{ address: "not-an-address" }] })),
      400,
      "validation_failed",
      "to.0.address",
    ],
    [
      "CR/LF in the subject",
      () => send(validBody({ subject: "Hi\r\nBcc: victim@example.com" })),
      400,
      "validation_failed",
      "subject",
    ],
    [
      "CR/LF in a recipient name",
      () => send(validBody({ to: [{ address: "a@example.com", name: "A\nB" }] })),
      400,
      "validation_failed",
      "to.0.name",
    ],
    [
      "CR/LF in an address",
      () => send(validBody({ cc: [{ address: "a@example.com\r\nX: y" }] })),
      400,
      "validation_failed",
      "cc.0.address",
    ],
    ["101 recipients", () => send(validBody({ to: tooMany })), 400, "validation_failed", "to"],
    [
      "a subject over 998 characters",
      () => send(validBody({ subject: "x".repeat(999) })),
      400,
      "validation_failed",
      "subject",
    ],
    [
      "a body over 5 MB",
      () => send(validBody({ html: `<p>${"x".repeat(5 * 1024 * 1024)}</p>` })),
      413,
      "payload_too_large",
      "html",
    ],
    [
      "a request over the size limit",
      () => send(validBody({ html: "x".repeat(6 * 1024 * 1024) })),
      413,
      "payload_too_large",
      null,
    ],
    [
      "an idempotency key that is not a UUID",
      () => send(validBody({ idempotencyKey: "123" })),
      400,
      "validation_failed",
      "idempotencyKey",
    ],
    ["an unknown sender id", () => send(validBody({ senderId: "nope" })), 404, "not_found", "senderId"],
    ["another user's sender", () => send(validBody({ senderId: bobSandbox })), 404, "not_found", "senderId"],
  ];

  it.each(badInputs)(
    "rejects %s with a clear error and stores nothing",
    async (_name, request, status, code, field) => {
      const before = await db.message.count();
      const res = await request();
      expect(res.status).toBe(status);
      const body = await res.json();
      expect(body.error.code).toBe(code);
      expect(body.error.message).toEqual(expect.any(String));
      if (field) expect(Object.keys(body.error.fields ?? {})).toContain(field);
      expect(await db.message.count()).toBe(before);
    },
  );

  it("answers 409 when an idempotency key is reused with a different body", async () => {
    const body = validBody();
    await send(body);
    const res = await send({ ...body, subject: "Something else" });
    expect(res.status).toBe(409);
    expect((await res.json()).error).toMatchObject({
      code: "conflict",
      fields: { idempotencyKey: expect.any(Array) },
    });
    expect(await db.message.count({ where: { idempotencyKey: body.idempotencyKey } })).toBe(1);
  });

  it("answers 401 JSON without a session", async () => {
    const res = await send(validBody(), null);
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: { code: "unauthorized", message: expect.any(String) } });
  });

  it("answers 401 for a forged session cookie", async () => {
    const res = await callRoute(postMessage, {
      method: "POST",
      json: validBody(),
      headers: { cookie: "next-auth.session-token=eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0.forged" },
    });
    expect(res.status).toBe(401);
  });
});

describe("GET /api/messages", () => {
  it("lists only the caller's messages, newest first, and searches by subject or recipient", async () => {
    const user = await signUpUser();
    const senderId = (await db.sender.findFirstOrThrow({ where: { userId: user.id } })).id;
    for (const [subject, address] of [
      ["Invoice March", "finance@acme.test"],
      ["Lunch?", "dave@example.com"],
      ["Invoice April", "eve@example.com"],
    ]) {
      await send(validBody({ senderId, subject, to: [{ address }] }), user);
    }
    const all = await (await callRoute(listMessages, { path: "/api/messages", user })).json();
    expect(all.items.map((m: { subject: string }) => m.subject)).toEqual([
      "Invoice April",
      "Lunch?",
      "Invoice March",
    ]);

    const bySubject = await (await callRoute(listMessages, { path: "/api/messages?q=invoice", user })).json();
    expect(bySubject.items).toHaveLength(2);
    const byRecipient = await (await callRoute(listMessages, { path: "/api/messages?q=DAVE@", user })).json();
    expect(byRecipient.items.map((m: { subject: string }) => m.subject)).toEqual(["Lunch?"]);

    const page1 = await (await callRoute(listMessages, { path: "/api/messages?limit=2", user })).json();
    expect(page1.items).toHaveLength(2);
    const page2 = await (
      await callRoute(listMessages, { path: `/api/messages?limit=2&cursor=${page1.nextCursor}`, user })
    ).json();
    expect(page2.items.map((m: { subject: string }) => m.subject)).toEqual(["Invoice March"]);
    expect(page2.nextCursor).toBeNull();
  });

  it("rejects a bad query with 400 naming the field", async () => {
    const res = await callRoute(listMessages, { path: "/api/messages?limit=5000", user: alice });
    expect(res.status).toBe(400);
    expect((await res.json()).error.fields).toHaveProperty("limit");
  });

  it("hides another user's message behind a 404", async () => {
    const { message } = await (await send(validBody())).json();
    const asBob = await callRoute(getMessage, { user: bob, params: { id: message.id } });
    expect(asBob.status).toBe(404);
    const asAlice = await callRoute(getMessage, { user: alice, params: { id: message.id } });
    expect(asAlice.status).toBe(200);
    expect((await asAlice.json()).message.events[0].type).toBe("queued");
  });
});
