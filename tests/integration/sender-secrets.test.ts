// Where a sender's password may go: only to the server and account it was entered for, and only to a server
// that signs the user in (AUTH). Issue 21, items 4 and 5.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

vi.hoisted(() => {
  // The AUTH rule applies everywhere in this file, loopback included.
  process.env.SMTP_NO_AUTH_HOSTS = "";
});

import { PATCH as patchSender } from "@/app/api/senders/[id]/route";
import { POST as testConnection } from "@/app/api/senders/[id]/test/route";
import { decryptSecret, senderSecretContext } from "@/lib/crypto/secret-box";
import { db } from "@/lib/db/client";
import { startDeliveryWorker, type DeliveryWorker } from "@/lib/delivery/worker";
import { closeAllPools } from "@/lib/mail/transport";
import {
  addLoopbackSender,
  callRoute,
  enqueueTestMessage,
  signUpUser,
  type TestUser,
} from "@/tests/support/api";
import { startAuthRecordingSmtp, type AuthRecordingSmtp } from "@/tests/support/auth-recording-smtp";

let user: TestUser;
let home: AuthRecordingSmtp;
let thief: AuthRecordingSmtp;
let worker: DeliveryWorker;

beforeAll(async () => {
  user = await signUpUser("Secret Keeper");
  home = await startAuthRecordingSmtp();
  thief = await startAuthRecordingSmtp();
  worker = startDeliveryWorker({ pollMs: 60_000, maxInFlight: 1 });
});

afterAll(async () => {
  await worker.stop();
  closeAllPools();
  await home.close();
  await thief.close();
});

const patch = (id: string, json: Record<string, unknown>) =>
  callRoute(patchSender, { method: "PATCH", user, params: { id }, json });
const test = async (id: string) =>
  (await (await callRoute(testConnection, { method: "POST", user, params: { id } })).json()).result as {
    ok: boolean;
    message: string;
  };

describe("changing where the password goes needs the password again", () => {
  it.each([
    ["host", { host: "smtp.example.com", port: 587 }],
    ["port", { port: 2525 }],
    ["security", { security: "starttls" }],
    ["username", { username: "someone-else@acme.test" }],
  ])("PATCH of %s without the password is a 400 naming password, and changes nothing", async (_f, change) => {
    const sender = await addLoopbackSender(user, home.port, { password: "home-secret" });
    const before = await db.sender.findUniqueOrThrow({ where: { id: sender.id } });
    const res = await patch(sender.id, { label: "Moved", ...change });
    expect(res.status).toBe(400);
    const { error } = await res.json();
    expect(Object.keys(error.fields)).toEqual(["password"]);
    expect(error.message).toMatch(/password again/);
    const after = await db.sender.findUniqueOrThrow({ where: { id: sender.id } });
    expect(after).toEqual(before);
  });

  it("a stolen session cannot point the stored password at its own server and press Test", async () => {
    const sender = await addLoopbackSender(user, home.port, { password: "home-secret" });
    expect((await patch(sender.id, { port: thief.port })).status).toBe(400);
    const result = await test(sender.id);
    expect(result.ok).toBe(true);
    expect(thief.logins).toEqual([]);
    expect(home.logins).toContain("me@acme.test:home-secret");
  });

  it("the same settings sent again (as the dialog does) keep the password; other fields save without it", async () => {
    const sender = await addLoopbackSender(user, home.port, { password: "home-secret" });
    const res = await patch(sender.id, {
      label: "Renamed",
      host: "127.0.0.1",
      port: home.port,
      security: "none",
      username: "me@acme.test",
      maxPerDay: 50,
    });
    expect(res.status).toBe(200);
    expect((await res.json()).sender).toMatchObject({ label: "Renamed", hasPassword: true });
    const stored = await db.sender.findUniqueOrThrow({ where: { id: sender.id } });
    expect(decryptSecret(stored.secretCipher!, senderSecretContext(sender.id))).toBe("home-secret");
  });

  it("with the password in the same request the move is saved, and the new password goes to the new server", async () => {
    const sender = await addLoopbackSender(user, home.port, { password: "home-secret" });
    const res = await patch(sender.id, { port: thief.port, password: "new-server-secret" });
    expect(res.status).toBe(200);
    expect((await test(sender.id)).ok).toBe(true);
    expect(thief.logins).toEqual(["me@acme.test:new-server-secret"]);
    expect(thief.logins.join()).not.toContain("home-secret");
  });

  it("a password stored for another server is never sent, neither by Test connection nor by delivery", async () => {
    // However the row came to point elsewhere (an old bug, a hand edit), the password stays with its server.
    const sender = await addLoopbackSender(user, home.port, { password: "home-secret" });
    await db.sender.update({ where: { id: sender.id }, data: { port: thief.port } });
    const before = thief.logins.length;
    const result = await test(sender.id);
    expect(result).toMatchObject({ ok: false, message: expect.stringMatching(/enter the password again/) });
    const messageId = await enqueueTestMessage(user, sender.id, { to: ["alice@example.com"] });
    await worker.drain();
    const message = await db.message.findUniqueOrThrow({ where: { id: messageId } });
    expect(message).toMatchObject({ status: "failed", lastError: expect.stringMatching(/password again/) });
    expect(thief.logins.length).toBe(before);
  });
});

describe("custom servers must sign in (AUTH)", () => {
  it("Test connection refuses a server that offers no AUTH, and says why", async () => {
    const open = await startAuthRecordingSmtp({ offerAuth: false });
    try {
      const sender = await addLoopbackSender(user, open.port);
      const result = await test(sender.id);
      expect(result.ok).toBe(false);
      expect(result.message).toMatch(/does not ask for a username and password/);
    } finally {
      await open.close();
    }
  });

  it("delivery through a server without AUTH fails permanently instead of relaying", async () => {
    const open = await startAuthRecordingSmtp({ offerAuth: false });
    try {
      const sender = await addLoopbackSender(user, open.port);
      const messageId = await enqueueTestMessage(user, sender.id, { to: ["victim@example.com"] });
      await worker.drain();
      const message = await db.message.findUniqueOrThrow({ where: { id: messageId } });
      expect(message.status).toBe("failed");
      expect(message.lastError).toMatch(/does not ask for a username and password/);
    } finally {
      await open.close();
    }
  });
});
