// Sign-up modes and the admin's invitations. Issue 21, item 5. This file runs with SIGNUP_MODE=invite.
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";

vi.hoisted(() => {
  // Many sign-ups from one address here; the sign-up limit has its own test.
  Object.assign(process.env, { SIGNUP_MODE: "invite", INVITE_TTL_HOURS: "48", SIGNUP_RATE_LIMIT: "1000" });
});

import { POST as signUpRoute } from "@/app/api/account/route";
import { DELETE as revokeRoute } from "@/app/api/invitations/[id]/route";
import { GET as listRoute, POST as inviteRoute } from "@/app/api/invitations/route";
import { db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { getMailboxMessageOrThrow } from "@/lib/sandbox/mailbox";
import { callRoute, sessionCookie, type TestUser } from "@/tests/support/api";

const PASSWORD = "correct horse battery staple";
let admin: TestUser;

const signUp = (email: string, inviteToken?: string) =>
  callRoute(signUpRoute, { method: "POST", json: { email, password: PASSWORD, inviteToken } });
const invite = (user: TestUser, email?: string) =>
  callRoute(inviteRoute, { method: "POST", user, json: email === undefined ? {} : { email } });
const tokenOf = (link: string) => /#invite=([A-Za-z0-9_-]+)$/.exec(link)![1]!;

async function asUser(res: Response): Promise<TestUser> {
  const { user } = await res.json();
  return { id: user.id, email: user.email, cookie: await sessionCookie(user.id) };
}

beforeAll(async () => {
  // A fresh instance: the first account needs no invitation and becomes the admin.
  const res = await signUp("admin@example.com");
  expect(res.status).toBe(201);
  admin = await asUser(res);
  expect((await db.user.findUniqueOrThrow({ where: { id: admin.id } })).isAdmin).toBe(true);
});

afterEach(() => {
  (env as { SIGNUP_MODE: string }).SIGNUP_MODE = "invite";
});

describe("SIGNUP_MODE=invite", () => {
  it("refuses a sign-up without an invitation with 403, creating nothing", async () => {
    const res = await signUp("uninvited@example.com");
    expect(res.status).toBe(403);
    expect((await res.json()).error.message).toMatch(/by invitation/);
    expect(await db.user.findUnique({ where: { email: "uninvited@example.com" } })).toBeNull();
  });

  it("an invitation link lets one person sign up, once; the token is stored only as a hash", async () => {
    const res = await invite(admin);
    expect(res.status).toBe(201);
    const { invitation, link, emailed } = await res.json();
    expect(link).toMatch(/^http:\/\/localhost:\d+\/sign-up#invite=/);
    expect(emailed).toBe(false);
    expect(invitation).toMatchObject({ status: "pending", email: null });
    const hours = (Date.parse(invitation.expiresAt) - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(47);
    const token = tokenOf(link);
    const stored = await db.invitation.findUniqueOrThrow({ where: { id: invitation.id } });
    expect(JSON.stringify(stored)).not.toContain(token);
    const listed = await (await callRoute(listRoute, { user: admin })).text();
    expect(listed).not.toContain(token);

    const joined = await signUp("invited@example.com", token);
    expect(joined.status).toBe(201);
    expect((await joined.json()).user).toMatchObject({ email: "invited@example.com", isAdmin: false });
    const { invitations } = await (await callRoute(listRoute, { user: admin })).json();
    expect(invitations.find((i: { id: string }) => i.id === invitation.id)).toMatchObject({
      status: "used",
      usedByEmail: "invited@example.com",
    });

    const reused = await signUp("second@example.com", token);
    expect(reused.status).toBe(400);
    expect((await reused.json()).error.fields).toHaveProperty("inviteToken");
    expect(await db.user.findUnique({ where: { email: "second@example.com" } })).toBeNull();
  });

  it("an invitation for an email address is mailed there (sandbox mailbox) and works for that address only", async () => {
    const res = await invite(admin, "Guest@Example.com");
    expect(res.status).toBe(201);
    const { invitation, link, emailed } = await res.json();
    expect(invitation.email).toBe("guest@example.com");
    expect(emailed).toBe(true);
    const mail = await db.sandboxMail.findFirstOrThrow({
      where: { userId: admin.id, subject: "You are invited to SecureVault" },
      orderBy: { receivedAt: "desc" },
    });
    expect((await getMailboxMessageOrThrow(admin.id, mail.id)).text).toContain(link);

    const wrong = await signUp("someone-else@example.com", tokenOf(link));
    expect(wrong.status).toBe(400);
    expect((await wrong.json()).error.fields).toHaveProperty("email");
    expect((await signUp("guest@example.com", tokenOf(link))).status).toBe(201);
  });

  it("a revoked or expired invitation no longer works", async () => {
    const revoked = await (await invite(admin)).json();
    const res = await callRoute(revokeRoute, {
      method: "DELETE",
      user: admin,
      params: { id: revoked.invitation.id },
    });
    expect(res.status).toBe(200);
    expect((await res.json()).invitation.status).toBe("revoked");
    expect((await signUp("late-1@example.com", tokenOf(revoked.link))).status).toBe(400);

    const expired = await (await invite(admin)).json();
    await db.invitation.update({
      where: { id: expired.invitation.id },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    expect((await signUp("late-2@example.com", tokenOf(expired.link))).status).toBe(400);
    expect(await db.user.count({ where: { email: { startsWith: "late-" } } })).toBe(0);
  });

  it("a sign-up that fails (the address is taken) leaves the invitation unused", async () => {
    const { invitation, link } = await (await invite(admin)).json();
    expect((await signUp("invited@example.com", tokenOf(link))).status).toBe(409);
    const stored = await db.invitation.findUniqueOrThrow({ where: { id: invitation.id } });
    expect(stored.usedAt).toBeNull();
  });
});

describe("who manages invitations", () => {
  it("answers 403 to a signed-in user who is not the admin, on every route", async () => {
    const { link } = await (await invite(admin)).json();
    const member = await asUser(await signUp("member@example.com", tokenOf(link)));
    const { invitation } = await (await invite(admin)).json();
    expect((await callRoute(listRoute, { user: member })).status).toBe(403);
    expect((await invite(member)).status).toBe(403);
    const revoke = await callRoute(revokeRoute, {
      method: "DELETE",
      user: member,
      params: { id: invitation.id },
    });
    expect(revoke.status).toBe(403);
    expect((await db.invitation.findUniqueOrThrow({ where: { id: invitation.id } })).revokedAt).toBeNull();
  });

  it("answers 404 for an unknown invitation and 409 for a used one", async () => {
    const missing = await callRoute(revokeRoute, { method: "DELETE", user: admin, params: { id: "nope" } });
    expect(missing.status).toBe(404);
    const { invitation, link } = await (await invite(admin)).json();
    await signUp("used-up@example.com", tokenOf(link));
    const used = await callRoute(revokeRoute, {
      method: "DELETE",
      user: admin,
      params: { id: invitation.id },
    });
    expect(used.status).toBe(409);
  });

  it("refuses an invitation for an address that already has an account", async () => {
    const res = await invite(admin, "admin@example.com");
    expect(res.status).toBe(409);
    expect((await res.json()).error.fields).toHaveProperty("email");
  });
});

describe("the other modes", () => {
  it("closed: nobody signs up, not even with an invitation, and no invitation can be made", async () => {
    const { link } = await (await invite(admin)).json();
    (env as { SIGNUP_MODE: string }).SIGNUP_MODE = "closed";
    const res = await signUp("closed@example.com", tokenOf(link));
    expect(res.status).toBe(403);
    expect((await res.json()).error.message).toMatch(/closed/);
    expect((await invite(admin)).status).toBe(409);
  });

  it("open: anyone signs up without an invitation", async () => {
    (env as { SIGNUP_MODE: string }).SIGNUP_MODE = "open";
    const res = await signUp("walk-in@example.com");
    expect(res.status).toBe(201);
    expect((await res.json()).user.isAdmin).toBe(false);
  });
});
