import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as checkChanges } from "@/app/api/senders/[id]/check/route";
import { POST as checkNew } from "@/app/api/senders/check/route";
import { db } from "@/lib/db/client";
import { addLoopbackSender, callRoute, signUpUser, type TestUser } from "@/tests/support/api";
import { startTestSmtpServer, type TestSmtpServer } from "@/tests/support/smtp-test-server";

// The sender dialog tests settings before saving them: the same handshake as Test connection, nothing stored.

let smtp: TestSmtpServer;
let user: TestUser;

beforeAll(async () => {
  smtp = await startTestSmtpServer({ users: { "me@acme.test": "pw" } });
  user = await signUpUser("Tess");
});

afterAll(async () => {
  await smtp.close();
});

const newSender = (password: string, extra: Record<string, unknown> = {}) => ({
  preset: "custom",
  fromEmail: "me@acme.test",
  host: "127.0.0.1",
  port: smtp.port,
  security: "none",
  password,
  ...extra,
});

describe("POST /api/senders/check", () => {
  it("says why settings fail and when they work, and stores nothing", async () => {
    const before = await db.sender.count({ where: { userId: user.id } });
    const wrong = await callRoute(checkNew, { method: "POST", user, json: newSender("wrong") });
    expect(wrong.status).toBe(200);
    expect((await wrong.json()).result).toMatchObject({
      ok: false,
      message: expect.stringMatching(/password/),
    });

    const right = await callRoute(checkNew, { method: "POST", user, json: newSender("pw") });
    expect((await right.json()).result).toMatchObject({
      ok: true,
      message: expect.stringMatching(/signed in/),
    });
    expect(await db.sender.count({ where: { userId: user.id } })).toBe(before);
  });

  it.each([
    ["signed out", null, () => newSender("pw"), 401],
    ["no host for a custom server", "user", () => newSender("pw", { host: undefined }), 400],
    ["no password", "user", () => newSender(""), 400],
  ] as const)("refuses %s", async (_name, as, json, status) => {
    const res = await callRoute(checkNew, { method: "POST", user: as ? user : null, json: json() });
    expect(res.status).toBe(status);
  });
});

describe("POST /api/senders/:id/check", () => {
  it("tests the stored password against edited settings without changing the sender", async () => {
    const sender = await addLoopbackSender(user, smtp.port, { password: "wrong" });
    const fixed = await callRoute(checkChanges, {
      method: "POST",
      user,
      params: { id: sender.id },
      json: { password: "pw" },
    });
    expect((await fixed.json()).result.ok).toBe(true);
    const unchanged = await callRoute(checkChanges, {
      method: "POST",
      user,
      params: { id: sender.id },
      json: {},
    });
    expect((await unchanged.json()).result.ok).toBe(false);
    expect((await db.sender.findUniqueOrThrow({ where: { id: sender.id } })).lastTestedAt).toBeNull();
  });

  it("asks for the password again before testing another server, and 404s for someone else's sender", async () => {
    const sender = await addLoopbackSender(user, smtp.port);
    const moved = await callRoute(checkChanges, {
      method: "POST",
      user,
      params: { id: sender.id },
      json: { port: 2525 },
    });
    expect(moved.status).toBe(400);
    expect((await moved.json()).error.fields.password).toBeDefined();

    const other = await signUpUser("Other");
    const res = await callRoute(checkChanges, {
      method: "POST",
      user: other,
      params: { id: sender.id },
      json: {},
    });
    expect(res.status).toBe(404);
  });
});
