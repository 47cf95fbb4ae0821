import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

vi.hoisted(() => {
  // The tests' push service listens on loopback over plain http.
  process.env.PUSH_ALLOW_LOOPBACK = "true";
});

import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import { GET as getPreferences, PATCH as patchPreferences } from "@/app/api/push/preferences/route";
import { GET as getPublicKey } from "@/app/api/push/public-key/route";
import { DELETE as deleteDevice } from "@/app/api/push/subscriptions/[id]/route";
import { GET as listDevices, POST as saveSubscription } from "@/app/api/push/subscriptions/route";
import { db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { MAX_DEVICES_PER_USER } from "@/lib/push/subscriptions";
import { callRoute, signUpUser, type TestUser } from "@/tests/support/api";
import { startTestPushService, type TestPushService } from "@/tests/support/push-service";

const deviceView = z
  .object({ id: z.string(), label: z.string(), createdAt: z.iso.datetime(), lastSuccessAt: z.null() })
  .strict();
const CHROME_ANDROID =
  "Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36";

let push: TestPushService;
let alice: TestUser;
let bob: TestUser;

beforeAll(async () => {
  push = await startTestPushService();
  alice = await signUpUser("Alice");
  bob = await signUpUser("Bob");
});
afterAll(() => push.close());

function save(user: TestUser | null, json: unknown, userAgent = CHROME_ANDROID) {
  return callRoute(saveSubscription, {
    method: "POST",
    user,
    json,
    path: "/api/push/subscriptions",
    headers: { "user-agent": userAgent },
  });
}

describe("push API", () => {
  it("needs a session everywhere", async () => {
    for (const res of [
      await callRoute(getPublicKey, {}),
      await callRoute(listDevices, {}),
      await save(null, push.subscribe()),
      await callRoute(deleteDevice, { method: "DELETE", params: { id: "x" } }),
      await callRoute(getPreferences, {}),
    ]) {
      expect(res.status).toBe(401);
    }
  });

  it("serves the VAPID public key generated once into the data directory (mode 0600)", async () => {
    const res = await callRoute(getPublicKey, { user: alice });
    expect(res.status).toBe(200);
    const { publicKey } = (await res.json()) as { publicKey: string };
    expect(Buffer.from(publicKey, "base64url")).toHaveLength(65);
    const file = path.join(env.dataDir, "vapid.json");
    expect(JSON.parse(fs.readFileSync(file, "utf8")).publicKey).toBe(publicKey);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    // Nothing but the public key leaves the server.
    expect(Object.keys(await (await callRoute(getPublicKey, { user: bob })).json())).toEqual(["publicKey"]);
  });

  it("saves a subscription, upserts by endpoint, lists it without keys, and removes it (owner only)", async () => {
    const sub = push.subscribe();
    const created = await save(alice, { ...sub, expirationTime: null });
    expect(created.status).toBe(201);
    const { device } = (await created.json()) as { device: z.infer<typeof deviceView> };
    expect(deviceView.parse(device).label).toBe("Chrome on Android");

    // Same endpoint, new keys: the same device, updated.
    const fresh = push.subscribe();
    const again = await save(alice, { endpoint: sub.endpoint, keys: fresh.keys });
    expect(again.status).toBe(200);
    expect(((await again.json()) as { device: { id: string } }).device.id).toBe(device.id);
    expect((await db.pushSubscription.findUniqueOrThrow({ where: { id: device.id } })).p256dh).toBe(
      fresh.keys.p256dh,
    );

    const listed = (await (await callRoute(listDevices, { user: alice })).json()) as { devices: unknown[] };
    expect(listed.devices).toEqual([device]);
    expect(JSON.stringify(listed)).not.toContain(sub.keys.auth);
    expect(JSON.stringify(listed)).not.toContain(sub.endpoint);
    expect(
      ((await (await callRoute(listDevices, { user: bob })).json()) as { devices: unknown[] }).devices,
    ).toEqual([]);

    const othersDelete = await callRoute(deleteDevice, {
      method: "DELETE",
      user: bob,
      params: { id: device.id },
    });
    expect(othersDelete.status).toBe(404);
    expect(await db.pushSubscription.count({ where: { id: device.id } })).toBe(1);
    const ownDelete = await callRoute(deleteDevice, {
      method: "DELETE",
      user: alice,
      params: { id: device.id },
    });
    expect(ownDelete.status).toBe(204);
    expect(await db.pushSubscription.count({ where: { id: device.id } })).toBe(0);
    expect(
      (await callRoute(deleteDevice, { method: "DELETE", user: alice, params: { id: device.id } })).status,
    ).toBe(404);
  });

  it("hands a browser's subscription to whoever signs in on it now", async () => {
    const sub = push.subscribe();
    await save(alice, sub);
    expect((await save(bob, sub)).status).toBe(201);
    const row = await db.pushSubscription.findUniqueOrThrow({ where: { endpoint: sub.endpoint } });
    expect(row.userId).toBe(bob.id);
  });

  type Sub = ReturnType<TestPushService["subscribe"]>;
  const AUTH = "AAAAAAAAAAAAAAAAAAAAAA";
  it.each<[string, (sub: Sub) => unknown, string[]]>([
    ["no fields at all", () => ({}), ["endpoint", "keys"]],
    ["an endpoint that is not a URL", (sub) => ({ ...sub, endpoint: "nope" }), ["endpoint"]],
    ["an ftp endpoint", (sub) => ({ ...sub, endpoint: "ftp://push.example.com/x" }), ["endpoint"]],
    [
      "an http endpoint off loopback",
      (sub) => ({ ...sub, endpoint: "http://push.example.com/x" }),
      ["endpoint"],
    ],
    ["a short p256dh", (sub) => ({ ...sub, keys: { p256dh: "BAAA", auth: AUTH } }), ["keys.p256dh"]],
    [
      "a p256dh that is not base64url",
      (sub) => ({ ...sub, keys: { p256dh: "B" + "*".repeat(86), auth: AUTH } }),
      ["keys.p256dh"],
    ],
    [
      "an auth secret of the wrong size",
      (sub) => ({ ...sub, keys: { ...sub.keys, auth: "AAAA" } }),
      ["keys.auth"],
    ],
    ["no keys", (sub) => ({ endpoint: sub.endpoint }), ["keys"]],
    ["a body that is not an object", () => ["x"], ["_"]],
  ])("refuses a subscription with %s: 400 with field errors", async (_name, makeBody, fields) => {
    const res = await save(alice, makeBody(push.subscribe()));
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as { error: { code: string; fields: Record<string, string[]> } };
    expect(error.code).toBe("validation_failed");
    expect(Object.keys(error.fields).sort()).toEqual([...fields].sort());
  });

  it("refuses a key that is not on the P-256 curve, and an endpoint on a private address", async () => {
    const sub = push.subscribe();
    const offCurve = Buffer.alloc(65, 1);
    offCurve[0] = 4;
    const bad = await save(alice, { ...sub, keys: { ...sub.keys, p256dh: offCurve.toString("base64url") } });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.fields).toHaveProperty(["keys.p256dh"]);

    for (const endpoint of [
      "https://10.0.0.8/push/x",
      "https://169.254.169.254/latest",
      "https://[fd00::1]/x",
    ]) {
      const res = await save(alice, { ...sub, endpoint });
      expect(res.status).toBe(400);
      expect((await res.json()).error.fields).toHaveProperty("endpoint");
    }
  });

  it("answers malformed JSON with 400, not 500", async () => {
    const res = await callRoute(saveSubscription, { method: "POST", user: alice, rawBody: "{nope" });
    expect(res.status).toBe(400);
  });

  it(`stops at ${MAX_DEVICES_PER_USER} devices per user`, async () => {
    const carol = await signUpUser("Carol");
    for (let i = 0; i < MAX_DEVICES_PER_USER; i++)
      expect((await save(carol, push.subscribe())).status).toBe(201);
    const res = await save(carol, push.subscribe());
    expect(res.status).toBe(409);
    expect((await res.json()).error.message).toMatch(/remove one/);
    // A device already saved can still refresh itself.
    const existing = await db.pushSubscription.findFirstOrThrow({ where: { userId: carol.id } });
    const refresh = await save(carol, { endpoint: existing.endpoint, keys: push.subscribe().keys });
    expect(refresh.status).toBe(200);
  });

  it("keeps per-user notification preferences, all on by default", async () => {
    const dave = await signUpUser("Dave");
    const initial = await (await callRoute(getPreferences, { user: dave })).json();
    expect(initial).toEqual({
      preferences: { delivered: true, failed: true, retrying: true },
      retryNotifyAfter: env.PUSH_RETRY_NOTIFY_AFTER,
    });
    const patched = await callRoute(patchPreferences, {
      method: "PATCH",
      user: dave,
      json: { delivered: false },
    });
    expect(patched.status).toBe(200);
    expect((await patched.json()).preferences).toEqual({ delivered: false, failed: true, retrying: true });
    expect((await (await callRoute(getPreferences, { user: dave })).json()).preferences.delivered).toBe(
      false,
    );
    // Another user's preferences are untouched.
    expect((await (await callRoute(getPreferences, { user: alice })).json()).preferences.delivered).toBe(
      true,
    );

    for (const json of [{}, { delivered: "no" }, { sound: true }]) {
      const res = await callRoute(patchPreferences, { method: "PATCH", user: dave, json });
      expect(res.status).toBe(400);
    }
  });
});
