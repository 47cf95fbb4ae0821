// Account security and data rights: change password, sign out everywhere, export, delete, audit log.
import { randomUUID } from "node:crypto";
import { strFromU8, unzipSync } from "fflate";
import { beforeAll, describe, expect, it, vi } from "vitest";

vi.hoisted(() => {
  process.env.PASSWORD_RATE_LIMIT = "4";
  process.env.EXPORT_RATE_LIMIT = "2";
});

import { DELETE as deleteAccountRoute, GET as getAccount } from "@/app/api/account/route";
import { GET as getAudit } from "@/app/api/account/audit/route";
import { GET as exportRoute } from "@/app/api/account/export/route";
import { POST as changePasswordRoute } from "@/app/api/account/password/route";
import { DELETE as signOutEverywhereRoute } from "@/app/api/account/sessions/route";
import { POST as createSenderRoute } from "@/app/api/senders/route";
import { authenticateUser } from "@/lib/auth/users";
import { db } from "@/lib/db/client";
import { saveDraft } from "@/lib/drafts/drafts";
import { saveDraftBody } from "@/lib/validation/drafts";
import {
  callRoute,
  enqueueTestMessage,
  fromAddress,
  sessionCookie,
  signUpUser,
  type TestUser,
} from "@/tests/support/api";

const PASSWORD = "correct horse battery staple";
const SMTP_PASSWORD = "smtp-app-password-never-exported";

const asCookie = (user: TestUser, cookie: string): TestUser => ({ ...user, cookie });
const cookieFrom = (res: Response) => res.headers.get("set-cookie")!.split(";")[0]!;
const me = (user: TestUser) => callRoute(getAccount, { user });

async function auditTypes(user: TestUser): Promise<string[]> {
  const res = await callRoute(getAudit, { user, path: "/api/account/audit?limit=100" });
  return ((await res.json()) as { events: { type: string }[] }).events.map((e) => e.type);
}

describe("change password", () => {
  let user: TestUser;
  beforeAll(async () => {
    user = await signUpUser();
  });

  it("refuses a wrong current password with 400 on the field, and records the attempt", async () => {
    const res = await callRoute(changePasswordRoute, {
      method: "POST",
      user,
      json: { currentPassword: "not my password", newPassword: "a brand new password" },
    });
    expect(res.status).toBe(400);
    expect((await res.json()).error.fields).toHaveProperty("currentPassword");
    expect(await auditTypes(user)).toContain("password_change_failed");
  });

  it("changes it (argon2id), ends other sessions and keeps this device signed in", async () => {
    const otherDevice = asCookie(user, await sessionCookie(user.id));
    expect((await me(otherDevice)).status).toBe(200);
    const res = await callRoute(changePasswordRoute, {
      method: "POST",
      user,
      json: { currentPassword: PASSWORD, newPassword: "a brand new password" },
    });
    expect(res.status).toBe(200);
    const setCookie = res.headers.get("set-cookie")!;
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Lax/);
    expect((await me(otherDevice)).status).toBe(401);
    expect((await me(user)).status).toBe(401);
    expect((await me(asCookie(user, cookieFrom(res)))).status).toBe(200);
    const stored = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(stored.passwordHash).toMatch(/^\$argon2id\$/);
    expect(await authenticateUser(user.email, "a brand new password")).not.toBeNull();
    expect(await authenticateUser(user.email, PASSWORD)).toBeNull();
    user = asCookie(user, cookieFrom(res));
    expect(await auditTypes(user)).toContain("password_changed");
  });

  it("is rate limited: 429 with Retry-After", async () => {
    let last: Response | undefined;
    for (let i = 0; i < 5; i++) {
      last = await callRoute(changePasswordRoute, {
        method: "POST",
        user,
        json: { currentPassword: "guess " + i, newPassword: "whatever password" },
      });
    }
    expect(last!.status).toBe(429);
    expect(Number(last!.headers.get("retry-after"))).toBeGreaterThan(0);
  });
});

describe("sign out everywhere", () => {
  it("ends every session of the user at once (the session cache included), and only theirs", async () => {
    const user = await signUpUser();
    const bystander = await signUpUser();
    const phone = asCookie(user, await sessionCookie(user.id));
    expect((await me(phone)).status).toBe(200); // now cached
    const res = await callRoute(signOutEverywhereRoute, { method: "DELETE", user });
    expect(res.status).toBe(204);
    expect(res.headers.get("set-cookie")).toMatch(/Max-Age=0/);
    expect((await me(user)).status).toBe(401);
    expect((await me(phone)).status).toBe(401);
    expect((await me(bystander)).status).toBe(200);
    // Signing in again works and is recorded.
    const fresh = asCookie(user, await sessionCookieWithVersion(user.id));
    expect(await auditTypes(fresh)).toContain("signed_out_everywhere");
  });
});

async function sessionCookieWithVersion(userId: string): Promise<string> {
  const { issueSessionCookie } = await import("@/lib/auth/session-cookie");
  const u = await db.user.findUniqueOrThrow({ where: { id: userId } });
  return (await issueSessionCookie(u)).split(";")[0]!;
}

describe("export my data", () => {
  it("returns a zip of account, senders without secrets, messages with events, mailbox .eml, AI usage", async () => {
    const user = await signUpUser();
    const created = await callRoute(createSenderRoute, {
      method: "POST",
      user,
      json: { preset: "gmail", fromEmail: user.email, password: SMTP_PASSWORD },
    });
    expect(created.status).toBe(201);
    const sandbox = await db.sender.findFirstOrThrow({ where: { userId: user.id, kind: "sandbox" } });
    const messageId = await enqueueTestMessage(user, sandbox.id, {
      to: ["friend@example.com"],
      subject: "Hello",
    });
    await db.sandboxMail.create({
      data: {
        userId: user.id,
        envelopeFrom: user.email,
        envelopeTo: ["friend@example.com"],
        subject: "Hello",
        raw: Buffer.from("Subject: Hello\r\n\r\nBody\r\n"),
        size: 24,
      },
    });
    await db.aiUsage.create({
      data: { userId: user.id, day: "2026-01-01", feature: "draft", requests: 2, promptTokens: 10 },
    });
    await saveDraft(
      user.id,
      randomUUID(),
      saveDraftBody.parse({
        baseRevision: 0,
        to: [{ address: "later@example.com" }],
        subject: "Unfinished",
        html: "<p>To be continued</p>",
      }),
    );

    const res = await callRoute(exportRoute, { user });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/zip");
    expect(res.headers.get("content-disposition")).toMatch(/attachment; filename="securevault-export-/);
    const files = unzipSync(new Uint8Array(await res.arrayBuffer()));
    const names = Object.keys(files);
    expect(names).toEqual(
      expect.arrayContaining([
        "account.json",
        "senders.json",
        "messages.json",
        "ai-usage.json",
        "audit-events.json",
        "drafts.json",
      ]),
    );
    const all = names.map((n) => strFromU8(files[n]!)).join("\n");
    expect(all).not.toContain(SMTP_PASSWORD);
    expect(all).not.toContain("secretCipher");
    expect(all).not.toContain("passwordHash");
    expect(JSON.parse(strFromU8(files["account.json"]!)).email).toBe(user.email);
    expect(JSON.parse(strFromU8(files["senders.json"]!))).toHaveLength(2);
    const messages = JSON.parse(strFromU8(files["messages.json"]!));
    expect(messages).toMatchObject([{ id: messageId, subject: "Hello", events: expect.any(Array) }]);
    expect(JSON.parse(strFromU8(files["ai-usage.json"]!))).toMatchObject([{ feature: "draft", requests: 2 }]);
    expect(JSON.parse(strFromU8(files["drafts.json"]!))).toMatchObject([
      { subject: "Unfinished", revision: 1 },
    ]);
    const eml = names.filter((n) => n.startsWith("mailbox/") && n.endsWith(".eml"));
    expect(eml).toHaveLength(1);
    expect(strFromU8(files[eml[0]!]!)).toContain("Subject: Hello");
    expect(await auditTypes(user)).toEqual(expect.arrayContaining(["data_exported", "sender_created"]));

    // Rate limited (EXPORT_RATE_LIMIT=2 here).
    expect((await callRoute(exportRoute, { user })).status).toBe(200);
    const limited = await callRoute(exportRoute, { user });
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBeTruthy();
  });
});

describe("delete my account", () => {
  it("needs the password, then removes everything the account owns and ends its sessions", async () => {
    const user = await signUpUser();
    const other = await signUpUser();
    const sandbox = await db.sender.findFirstOrThrow({ where: { userId: user.id } });
    await enqueueTestMessage(user, sandbox.id, { to: ["x@example.com"] });
    await db.sandboxMail.create({
      data: {
        userId: user.id,
        envelopeFrom: "a@b.c",
        envelopeTo: [],
        subject: "s",
        raw: Buffer.from("x"),
        size: 1,
      },
    });
    await db.aiUsage.create({ data: { userId: user.id, day: "2026-01-01", feature: "draft" } });

    const wrong = await callRoute(deleteAccountRoute, { method: "DELETE", user, json: { password: "nope" } });
    expect(wrong.status).toBe(400);
    expect((await me(user)).status).toBe(200);

    const res = await callRoute(deleteAccountRoute, { method: "DELETE", user, json: { password: PASSWORD } });
    expect(res.status).toBe(204);
    expect(res.headers.get("set-cookie")).toMatch(/Max-Age=0/);
    expect((await me(user)).status).toBe(401);
    const where = { where: { userId: user.id } };
    expect(await db.user.count({ where: { id: user.id } })).toBe(0);
    expect(await db.sender.count(where)).toBe(0);
    expect(await db.message.count(where)).toBe(0);
    expect(await db.messageEvent.count({ where: { message: { userId: user.id } } })).toBe(0);
    expect(await db.sandboxMail.count(where)).toBe(0);
    expect(await db.aiUsage.count(where)).toBe(0);
    expect(await db.auditEvent.count(where)).toBe(0);
    expect((await me(other)).status).toBe(200);
  });
});

describe("audit log", () => {
  it("pages through the user's events newest first and never contains secrets", async () => {
    const user = await signUpUser();
    for (let i = 0; i < 5; i++) {
      await callRoute(createSenderRoute, {
        method: "POST",
        user,
        headers: { "user-agent": "TestAgent/1.0", ...fromAddress("198.51.100.7") },
        json: { preset: "gmail", fromEmail: user.email, label: `Sender ${i}`, password: SMTP_PASSWORD },
      });
    }
    const first = await callRoute(getAudit, { user, path: "/api/account/audit?limit=2" });
    const page1 = await first.json();
    expect(page1.events.map((e: { detail: string }) => e.detail)).toEqual(["Sender 4", "Sender 3"]);
    expect(page1.events[0]).toMatchObject({
      type: "sender_created",
      ip: "198.51.100.7",
      userAgent: "TestAgent/1.0",
    });
    const second = await callRoute(getAudit, {
      user,
      path: `/api/account/audit?limit=2&cursor=${page1.nextCursor}`,
    });
    const page2 = await second.json();
    expect(page2.events.map((e: { detail: string }) => e.detail)).toEqual(["Sender 2", "Sender 1"]);
    const stored = JSON.stringify(await db.auditEvent.findMany({ where: { userId: user.id } }));
    expect(stored).not.toContain(SMTP_PASSWORD);
    // Someone else's cursor does not leak their events.
    const stranger = await signUpUser();
    const res = await callRoute(getAudit, {
      user: stranger,
      path: `/api/account/audit?cursor=${page1.nextCursor}`,
    });
    expect((await res.json()).events).toEqual([]);
  });
});
