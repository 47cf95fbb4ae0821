// Sessions live on the server: a copied session cookie stops working once its session is signed out, idle too
// long or past its lifetime; revoking sessions also stops push notifications to the old devices.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

vi.hoisted(() => {
  Object.assign(process.env, {
    PUSH_ALLOW_LOOPBACK: "true",
    SESSION_IDLE_MINUTES: "60",
    SESSION_MAX_DAYS: "2",
  });
});

import { decode } from "next-auth/jwt";
import { POST as changePasswordRoute } from "@/app/api/account/password/route";
import { GET as getAccount } from "@/app/api/account/route";
import { DELETE as signOutEverywhereRoute } from "@/app/api/account/sessions/route";
import { POST as saveSubscription } from "@/app/api/push/subscriptions/route";
import { getAuthOptions } from "@/lib/auth/options";
import { db } from "@/lib/db/client";
import { getInstanceSecrets } from "@/lib/crypto/instance-secrets";
import { notifyDeliveryOutcome } from "@/lib/push/outcome-notifications";
import { getVapidPublicKey } from "@/lib/push/vapid";
import { callRoute, sessionCookie, signUpUser, type TestUser } from "@/tests/support/api";
import { startTestPushService, type TestPushService } from "@/tests/support/push-service";

const PASSWORD = "correct horse battery staple";
const HOUR = 60 * 60_000;
const me = (user: TestUser) => callRoute(getAccount, { user });
const asCookie = (user: TestUser, cookie: string): TestUser => ({ ...user, cookie });

async function sessionIdOf(user: TestUser): Promise<string> {
  const token = user.cookie.slice(user.cookie.indexOf("=") + 1);
  const payload = await decode({ token, secret: getInstanceSecrets().authSecret });
  return String(payload?.sid);
}

// What next-auth runs after POST /api/auth/signout has checked its CSRF token and decoded the cookie.
async function signOutThisDevice(user: TestUser) {
  const token = await decode({
    token: user.cookie.slice(user.cookie.indexOf("=") + 1),
    secret: getInstanceSecrets().authSecret,
  });
  await getAuthOptions().events!.signOut!({ token: token!, session: null as never });
}

describe("server-side sessions", () => {
  it("a copy of the cookie stops working when that device signs out; other devices stay signed in", async () => {
    const user = await signUpUser();
    const copied = asCookie(user, user.cookie);
    const laptop = asCookie(user, await sessionCookie(user.id));
    expect((await me(copied)).status).toBe(200);

    await signOutThisDevice(user);

    expect((await me(copied)).status).toBe(401);
    expect((await me(laptop)).status).toBe(200);
    // next-auth's own session endpoint runs the jwt callback: it refuses the ended session too.
    const token = await decode({
      token: copied.cookie.slice(copied.cookie.indexOf("=") + 1),
      secret: getInstanceSecrets().authSecret,
    });
    await expect(getAuthOptions().callbacks!.jwt!({ token: token!, account: null } as never)).rejects.toThrow(
      "The session has ended.",
    );
  });

  it("a session idle for longer than SESSION_IDLE_MINUTES ends; use keeps it alive", async () => {
    const user = await signUpUser();
    const sid = await sessionIdOf(user);
    await db.session.update({ where: { id: sid }, data: { lastSeenAt: new Date(Date.now() - 50 * 60_000) } });
    expect((await me(user)).status).toBe(200);
    const touched = await db.session.findUniqueOrThrow({ where: { id: sid } });
    expect(Date.now() - touched.lastSeenAt.getTime()).toBeLessThan(HOUR);

    const idle = await signUpUser();
    const idleSid = await sessionIdOf(idle);
    await db.session.update({
      where: { id: idleSid },
      data: { lastSeenAt: new Date(Date.now() - 61 * 60_000) },
    });
    expect((await me(idle)).status).toBe(401);
    expect(await db.session.findUnique({ where: { id: idleSid } })).toBeNull();
  });

  it("no session outlives SESSION_MAX_DAYS, however active", async () => {
    const user = await signUpUser();
    const sid = await sessionIdOf(user);
    await db.session.update({
      where: { id: sid },
      data: { createdAt: new Date(Date.now() - 49 * HOUR), expiresAt: new Date(Date.now() - HOUR) },
    });
    expect((await me(user)).status).toBe(401);
  });

  it("sessions that ended on their own are deleted at the next sign-in, not kept forever", async () => {
    const user = await signUpUser();
    const sid = await sessionIdOf(user);
    await db.session.update({ where: { id: sid }, data: { expiresAt: new Date(Date.now() - HOUR) } });
    await sessionCookie((await signUpUser()).id); // someone else signs in
    expect(await db.session.findUnique({ where: { id: sid } })).toBeNull();
  });

  it("a session cookie that names no server-side session (forged, or from before sessions) is refused", async () => {
    const user = await signUpUser();
    await db.session.deleteMany({ where: { userId: user.id } });
    expect((await me(user)).status).toBe(401);
  });
});

describe("revocation removes push subscriptions", () => {
  let push: TestPushService;
  beforeAll(async () => {
    push = await startTestPushService({ expectedVapidKey: getVapidPublicKey });
  });
  afterAll(() => push.close());

  async function userWithDevice() {
    const user = await signUpUser();
    const device = push.subscribe("accept");
    expect((await callRoute(saveSubscription, { method: "POST", user, json: device })).status).toBe(201);
    return { user, device };
  }

  async function pushesAfterDelivery(userId: string): Promise<number> {
    const before = push.requests();
    await notifyDeliveryOutcome({
      messageId: crypto.randomUUID(),
      userId,
      subject: "Re: contract",
      kind: "delivered",
      accepted: ["alice@example.com"],
      reason: null,
      attempts: 1,
    });
    return push.requests() - before;
  }

  it("the device gets pushes while signed in (the baseline)", async () => {
    const { user } = await userWithDevice();
    expect(await pushesAfterDelivery(user.id)).toBe(1);
  });

  it("after sign out everywhere, a message delivered later sends no push to the old device", async () => {
    const { user } = await userWithDevice();
    const res = await callRoute(signOutEverywhereRoute, { method: "DELETE", user });
    expect(res.status).toBe(204);
    expect(await db.pushSubscription.count({ where: { userId: user.id } })).toBe(0);
    expect(await pushesAfterDelivery(user.id)).toBe(0);
  });

  it("after a password change, no old device gets pushes (this device subscribes again itself)", async () => {
    const { user } = await userWithDevice();
    const res = await callRoute(changePasswordRoute, {
      method: "POST",
      user,
      json: { currentPassword: PASSWORD, newPassword: "a brand new password" },
    });
    expect(res.status).toBe(200);
    expect(await pushesAfterDelivery(user.id)).toBe(0);
    expect(await db.session.count({ where: { userId: user.id } })).toBe(1);
  });
});
