import { beforeAll, describe, expect, it } from "vitest";
import { DELETE as deleteSender, GET as getSender, PATCH as patchSender } from "@/app/api/senders/[id]/route";
import { POST as testSender } from "@/app/api/senders/[id]/test/route";
import { GET as listSenders, POST as createSender } from "@/app/api/senders/route";
import { decryptSecret, senderSecretContext } from "@/lib/crypto/secret-box";
import { db } from "@/lib/db/client";
import { callRoute, signUpUser, type TestUser } from "@/tests/support/api";

let owner: TestUser;
let other: TestUser;

beforeAll(async () => {
  owner = await signUpUser("Owner");
  other = await signUpUser("Other");
});

const create = (json: unknown, user: TestUser = owner) =>
  callRoute(createSender, { method: "POST", user, json });

describe("senders", () => {
  it("every new account has the built-in Sandbox sender", async () => {
    const { senders } = await (await callRoute(listSenders, { user: owner })).json();
    expect(senders).toEqual([
      expect.objectContaining({ kind: "sandbox", fromEmail: owner.email, hasPassword: false }),
    ]);
  });

  it.each([
    ["gmail", "smtp.gmail.com", 465, "tls"],
    ["outlook", "smtp.office365.com", 587, "starttls"],
    ["yahoo", "smtp.mail.yahoo.com", 465, "tls"],
  ])("the %s preset fills in the server settings", async (preset, host, port, security) => {
    const res = await create({
      preset,
      fromEmail: "me@example.com",
      password: "app-password-123",
      host: "evil.example",
      port: 25,
    });
    expect(res.status).toBe(201);
    const { sender } = await res.json();
    expect(sender).toMatchObject({
      preset,
      host,
      port,
      security,
      username: "me@example.com",
      hasPassword: true,
    });
  });

  it("encrypts the password at rest and never returns it", async () => {
    const res = await create({
      preset: "custom",
      fromEmail: "me@example.com",
      host: "mail.example.com",
      port: 587,
      security: "starttls",
      password: "hunter2-very-secret",
    });
    const text = await res.text();
    expect(text).not.toContain("hunter2-very-secret");
    expect(text).not.toContain("secretCipher");
    const { sender } = JSON.parse(text);
    const stored = await db.sender.findUniqueOrThrow({ where: { id: sender.id } });
    expect(stored.secretCipher).not.toContain("hunter2");
    expect(stored.secretCipher).toMatch(/^v2\./);
    expect(decryptSecret(stored.secretCipher!, senderSecretContext(stored.id))).toBe("hunter2-very-secret");

    const fetched = await (await callRoute(getSender, { user: owner, params: { id: sender.id } })).text();
    const listed = await (await callRoute(listSenders, { user: owner })).text();
    for (const body of [fetched, listed]) {
      expect(body).not.toContain("hunter2");
      expect(body).not.toContain(stored.secretCipher!);
    }
  });

  it.each([
    [
      "a custom server without host, port or security",
      { preset: "custom", fromEmail: "me@example.com", password: "x" },
      ["host", "port", "security"],
    ],
    ["an unknown preset", { preset: "aol", fromEmail: "me@example.com", password: "x" }, ["preset"]],
    ["an invalid email", { preset: "gmail", fromEmail: "me@", password: "x" }, ["fromEmail"]],
    ["no password", { preset: "gmail", fromEmail: "me@example.com" }, ["password"]],
    [
      "a port out of range",
      {
        preset: "custom",
        fromEmail: "me@example.com",
        password: "x",
        host: "h.example",
        port: 70000,
        security: "tls",
      },
      ["port"],
    ],
    [
      "a line break in the name",
      { preset: "gmail", fromEmail: "me@example.com", password: "x", fromName: "Me\r\nBcc: x" },
      ["fromName"],
    ],
  ])("rejects %s with field errors", async (_name, json, fields) => {
    const before = await db.sender.count();
    const res = await create(json);
    expect(res.status).toBe(400);
    expect(Object.keys((await res.json()).error.fields)).toEqual(expect.arrayContaining(fields));
    expect(await db.sender.count()).toBe(before);
  });

  it("updates settings, keeps the password when none is given, and replaces it when one is", async () => {
    // (Moving the password to another server needs it again: tests/integration/sender-secrets.test.ts.)
    const { sender } = await (
      await create({
        preset: "custom",
        fromEmail: "me@example.com",
        host: "a.example",
        port: 25,
        security: "none",
        password: "first",
      })
    ).json();
    const res = await callRoute(patchSender, {
      method: "PATCH",
      user: owner,
      params: { id: sender.id },
      json: { label: "Work", maxPerDay: 100 },
    });
    expect(res.status).toBe(200);
    expect((await res.json()).sender).toMatchObject({ label: "Work", host: "a.example", hasPassword: true });
    let stored = await db.sender.findUniqueOrThrow({ where: { id: sender.id } });
    expect(decryptSecret(stored.secretCipher!, senderSecretContext(stored.id))).toBe("first");
    await callRoute(patchSender, {
      method: "PATCH",
      user: owner,
      params: { id: sender.id },
      json: { password: "second" },
    });
    stored = await db.sender.findUniqueOrThrow({ where: { id: sender.id } });
    expect(decryptSecret(stored.secretCipher!, senderSecretContext(stored.id))).toBe("second");
  });

  it("refuses to remove the Sandbox sender", async () => {
    const sandbox = await db.sender.findFirstOrThrow({ where: { userId: owner.id, kind: "sandbox" } });
    const res = await callRoute(deleteSender, { method: "DELETE", user: owner, params: { id: sandbox.id } });
    expect(res.status).toBe(409);
  });

  it("hides one user's sender from another behind 404 on every method", async () => {
    const { sender } = await (
      await create({ preset: "gmail", fromEmail: "me@example.com", password: "x" })
    ).json();
    const params = { id: sender.id };
    expect((await callRoute(getSender, { user: other, params })).status).toBe(404);
    expect(
      (await callRoute(patchSender, { method: "PATCH", user: other, params, json: { label: "mine now" } }))
        .status,
    ).toBe(404);
    expect((await callRoute(deleteSender, { method: "DELETE", user: other, params })).status).toBe(404);
    expect((await callRoute(testSender, { method: "POST", user: other, params })).status).toBe(404);
    expect(
      (await (await callRoute(listSenders, { user: other })).json()).senders.map((s: { id: string }) => s.id),
    ).not.toContain(sender.id);
    const still = await db.sender.findUniqueOrThrow({ where: { id: sender.id } });
    expect(still.label).not.toBe("mine now");
    // And the owner can delete it.
    expect((await callRoute(deleteSender, { method: "DELETE", user: owner, params })).status).toBe(204);
  });

  it("answers 401 to anonymous callers", async () => {
    expect((await callRoute(listSenders, {})).status).toBe(401);
    expect((await create({ preset: "gmail" }, null as unknown as TestUser)).status).toBe(401);
  });
});
