import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestUser } from "@/tests/support/api";
import {
  followToCallback,
  startTestAuthorizationServer,
  type TestAuthorizationServer,
} from "@/tests/support/oauth-authorization-server";
import {
  startGmailStandIn,
  startXoauth2SmtpServer,
  type GmailStandIn,
  type XoauthSmtpServer,
} from "@/tests/support/oauth-mail-services";
import type { DeliveryOutcome } from "@/lib/delivery/outcomes";
import type { SenderView } from "@/lib/senders/senders";

// "Connect Google" and "Connect Microsoft" against a real OpenID Connect server (oidc-provider) on loopback: the
// authorization code flow with PKCE, state and nonce through its sign-in and consent; sending through an SMTP
// server that takes XOAUTH2 only with a token that server issued, and through a Gmail API stand-in that checks
// the bearer token and parses the MIME; refresh, one refresh for two workers, revocation and reconnect.

const APP = "http://127.0.0.1:3999";
const GMAIL_SEND = "https://www.googleapis.com/auth/gmail.send";
const OUTLOOK_SMTP = "https://outlook.office.com/SMTP.Send";

let authz: TestAuthorizationServer;
let smtp: XoauthSmtpServer;
let gmail: GmailStandIn;
let user: TestUser;
let api: typeof import("@/tests/support/api");
let db: (typeof import("@/lib/db/client"))["db"];
let routes: {
  start: typeof import("@/app/api/senders/oauth/[provider]/start/route");
  callback: typeof import("@/app/api/senders/oauth/[provider]/callback/route");
  senders: typeof import("@/app/api/senders/route");
  sender: typeof import("@/app/api/senders/[id]/route");
  exportZip: typeof import("@/app/api/account/export/route");
};
let worker: import("@/lib/delivery/worker").DeliveryWorker;
const outcomes: DeliveryOutcome[] = [];
const logLines: string[] = [];
const cleanups: (() => unknown)[] = [];

beforeAll(async () => {
  authz = await startTestAuthorizationServer(APP);
  const { makeTestCertificates } = await import("@/tests/support/test-certificates");
  const certs = await makeTestCertificates();
  smtp = await startXoauth2SmtpServer(authz, OUTLOOK_SMTP, {
    key: fs.readFileSync(certs.serverKey),
    cert: fs.readFileSync(certs.serverCert),
  });
  gmail = await startGmailStandIn(authz, GMAIL_SEND);
  Object.assign(process.env, {
    APP_URL: APP,
    LOG_LEVEL: "info",
    SMTP_CA_FILE: certs.caFile,
    GOOGLE_CLIENT_ID: authz.clients.google.id,
    GOOGLE_CLIENT_SECRET: authz.clients.google.secret,
    GOOGLE_ISSUER_URL: authz.issuer,
    GOOGLE_SEND_MODE: "gmail-api",
    GOOGLE_GMAIL_API_URL: gmail.url,
    MICROSOFT_CLIENT_ID: authz.clients.microsoft.id,
    MICROSOFT_CLIENT_SECRET: authz.clients.microsoft.secret,
    MICROSOFT_AUTHORITY_URL: authz.base,
    MICROSOFT_TENANT: "common",
    MICROSOFT_SMTP_URL: `smtps://127.0.0.1:${smtp.port}`,
  });
  routes = {
    start: await import("@/app/api/senders/oauth/[provider]/start/route"),
    callback: await import("@/app/api/senders/oauth/[provider]/callback/route"),
    senders: await import("@/app/api/senders/route"),
    sender: await import("@/app/api/senders/[id]/route"),
    exportZip: await import("@/app/api/account/export/route"),
  };
  api = await import("@/tests/support/api");
  db = (await import("@/lib/db/client")).db;
  const { tapLogs } = await import("@/lib/log/logger");
  cleanups.push(tapLogs((line) => void logLines.push(line)));
  const { onDeliveryOutcome } = await import("@/lib/delivery/outcomes");
  cleanups.push(onDeliveryOutcome((o) => void outcomes.push(o)));
  const { startDeliveryWorker } = await import("@/lib/delivery/worker");
  worker = startDeliveryWorker({ pollMs: 60_000, maxInFlight: 10 });
  user = await api.signUpUser("Connector");
}, 60_000);

afterAll(async () => {
  for (const c of cleanups) c();
  await worker?.stop();
  (await import("@/lib/mail/transport")).closeAllPools();
  await smtp?.close();
  await gmail?.close();
  await authz?.close();
});

type Provider = "google" | "microsoft";

/** Settings' Connect button, the provider's sign-in and consent, and the callback, as the browser goes. */
async function connect(
  provider: Provider,
  account: { sub: string; email: string },
  options: {
    reconnect?: string;
    tamper?: (callback: URL, flowCookie: string) => { callback: URL; flowCookie: string };
  } = {},
): Promise<Response> {
  authz.signInAs(account);
  const start = await api.callRoute(routes.start.GET, {
    user,
    path: `/api/senders/oauth/${provider}/start${options.reconnect ? `?sender=${options.reconnect}` : ""}`,
    params: { provider },
  });
  expect(start.status).toBe(303);
  const location = new URL(start.headers.get("location")!);
  expect(location.searchParams.get("code_challenge_method")).toBe("S256");
  expect(location.searchParams.get("redirect_uri")).toBe(`${APP}/api/senders/oauth/${provider}/callback`);
  let flowCookie = start.headers.get("set-cookie")!.split(";")[0]!;
  let callback = await followToCallback(location.href, `${APP}/api/senders/oauth/${provider}/callback`);
  if (options.tamper) ({ callback, flowCookie } = options.tamper(callback, flowCookie));
  return api.callRoute(routes.callback.GET, {
    path: `${callback.pathname}${callback.search}`,
    params: { provider },
    headers: { cookie: `${user.cookie}; ${flowCookie}` },
  });
}

async function senderList(): Promise<SenderView[]> {
  const res = await api.callRoute(routes.senders.GET, { user });
  return ((await res.json()) as { senders: SenderView[] }).senders;
}

function connectedId(res: Response): string {
  expect(res.status).toBe(303);
  const location = res.headers.get("location")!;
  expect(location).toMatch(/^\/settings\/senders\?connected=/);
  return new URLSearchParams(location.split("?")[1]).get("connected")!;
}

async function decryptedTokens(senderId: string): Promise<string[]> {
  const { decryptSecret } = await import("@/lib/crypto/secret-box");
  const { accessTokenContext, refreshTokenContext } = await import("@/lib/oauth/tokens");
  const grant = await db.oAuthGrant.findUniqueOrThrow({ where: { senderId } });
  return [
    decryptSecret(grant.refreshTokenCipher, refreshTokenContext(senderId)),
    decryptSecret(grant.accessTokenCipher!, accessTokenContext(senderId)),
  ];
}

const expireAccessToken = (senderId: string) =>
  db.oAuthGrant.update({ where: { senderId }, data: { accessTokenExpiresAt: new Date(Date.now() - 1000) } });

// The first connect loads the routes, openid-client and the provider's discovery document: slow on a busy machine.
describe("Connect Google (Gmail API)", { timeout: 30_000 }, () => {
  let senderId: string;

  it("connects through sign-in and consent, and sends through users.messages.send with the Bcc in it", async () => {
    senderId = connectedId(await connect("google", { sub: "g-1", email: "ann@gmail.test" }));
    const view = (await senderList()).find((s) => s.id === senderId)!;
    expect(view).toMatchObject({
      kind: "gmail-api",
      connectedWith: "google",
      fromEmail: "ann@gmail.test",
      hasPassword: false,
    });

    const { POST } = await import("@/app/api/messages/route");
    const res = await api.callRoute(POST, {
      method: "POST",
      path: "/api/messages",
      user,
      json: {
        idempotencyKey: crypto.randomUUID(),
        senderId,
        to: [{ address: "bob@example.com" }],
        bcc: [{ address: "hidden@example.com" }],
        subject: "Through Gmail",
        html: "<p>Hello over the API</p>",
      },
    });
    expect(res.status).toBe(202);
    const { message } = (await res.json()) as { message: { id: string } };
    await worker.drain();
    expect(gmail.received).toHaveLength(1);
    const got = gmail.received[0]!;
    expect(got.parsed.subject).toBe("Through Gmail");
    expect(got.envelopeTo.sort()).toEqual(["bob@example.com", "hidden@example.com"]);
    expect(got.parsed.html).toContain("Hello over the API");
    const stored = await db.message.findUniqueOrThrow({ where: { id: message.id } });
    expect(stored.status).toBe("sent");
  });

  it("refreshes an expired access token once, and sends with the new one", async () => {
    const [, before] = await decryptedTokens(senderId);
    await expireAccessToken(senderId);
    const refreshes = authz.refreshes();
    await api.enqueueTestMessage(user, senderId, { to: ["carol@example.com"], subject: "After expiry" });
    await worker.drain();
    expect(authz.refreshes()).toBe(refreshes + 1);
    expect(gmail.received.at(-1)!.parsed.subject).toBe("After expiry");
    const [, after] = await decryptedTokens(senderId);
    expect(after).not.toBe(before);
  });

  it("two workers needing a refresh at once make one refresh and share its token", async () => {
    await expireAccessToken(senderId);
    const refreshes = authz.refreshes();
    const { accessTokenFor } = await import("@/lib/oauth/tokens");
    // The lease is in the database: neither call knows of the other except through it, as two processes.
    const tokens = await Promise.all([
      accessTokenFor(senderId),
      accessTokenFor(senderId),
      accessTokenFor(senderId),
    ]);
    expect(authz.refreshes()).toBe(refreshes + 1);
    expect(new Set(tokens).size).toBe(1);
    expect((await authz.introspect(tokens[0]!)).active).toBe(true);
  });

  it("Test connection checks that Google still grants access", async () => {
    const { POST } = await import("@/app/api/senders/[id]/test/route");
    const res = await api.callRoute(POST, { method: "POST", user, params: { id: senderId } });
    expect(res.status).toBe(200);
    const { result } = (await res.json()) as { result: { ok: boolean; message: string } };
    expect(result).toMatchObject({ ok: true, message: expect.stringContaining("Gmail API") });
  });

  it("keeps every token out of API answers, logs and the export", async () => {
    const secrets = await decryptedTokens(senderId);
    const answers = [
      JSON.stringify(await (await api.callRoute(routes.senders.GET, { user })).json()),
      JSON.stringify(
        await (await api.callRoute(routes.sender.GET, { user, params: { id: senderId } })).json(),
      ),
    ];
    const zip = await api.callRoute(routes.exportZip.GET, { user, path: "/api/account/export" });
    expect(zip.status).toBe(200);
    const { unzipSync, strFromU8 } = await import("fflate");
    const files = unzipSync(new Uint8Array(await zip.arrayBuffer()));
    const exported = Object.values(files)
      .map((f) => strFromU8(f))
      .join("\n");
    for (const secret of secrets) {
      for (const answer of answers) expect(answer).not.toContain(secret);
      expect(exported).not.toContain(secret);
      expect(logLines.join("")).not.toContain(secret);
    }
    expect(logLines.join("")).toContain("oauth access token refreshed");
  });

  it("disconnecting revokes the token at Google and deletes it here", async () => {
    const [refreshToken] = await decryptedTokens(senderId);
    const revocations = authz.revocations();
    const res = await api.callRoute(routes.sender.DELETE, {
      method: "DELETE",
      user,
      params: { id: senderId },
    });
    expect(res.status).toBe(204);
    expect(authz.revocations()).toBe(revocations + 1);
    expect((await authz.introspect(refreshToken!)).active).toBe(false);
    expect(await db.oAuthGrant.findUnique({ where: { senderId } })).toBeNull();
  });
});

describe("Connect Microsoft (SMTP XOAUTH2)", { timeout: 30_000 }, () => {
  const account = { sub: "m-1", email: "max@outlook.test" };
  let senderId: string;

  it("connects and sends over SMTP signing in with XOAUTH2", async () => {
    senderId = connectedId(await connect("microsoft", account));
    const view = (await senderList()).find((s) => s.id === senderId)!;
    expect(view).toMatchObject({
      kind: "smtp",
      connectedWith: "microsoft",
      host: "127.0.0.1",
      port: smtp.port,
    });
    // Outlook's preset allows a message every 2 s; the tests send faster. Limits stay the user's to set.
    const patched = await api.callRoute(routes.sender.PATCH, {
      method: "PATCH",
      user,
      params: { id: senderId },
      json: { maxPerSecond: 100 },
    });
    expect(patched.status).toBe(200);
    // Signing in as another account is a reconnect, not an edit.
    const renamed = await api.callRoute(routes.sender.PATCH, {
      method: "PATCH",
      user,
      params: { id: senderId },
      json: { username: "someone-else@outlook.test" },
    });
    expect(renamed.status).toBe(400);
    await api.enqueueTestMessage(user, senderId, { to: ["dora@example.com"], subject: "Over SMTP" });
    await worker.drain();
    expect(smtp.received.map((m) => m.parsed.subject)).toEqual(["Over SMTP"]);
    expect(smtp.logins()).toEqual({ tried: 1, refused: 0 });
  });

  it("a revoked grant pauses the sender and tells the user; reconnecting sends what waited", async () => {
    (await import("@/lib/mail/transport")).closeAllPools();
    await authz.revokeEverything();
    await expireAccessToken(senderId);
    const id = await api.enqueueTestMessage(user, senderId, {
      to: ["eve@example.com"],
      subject: "While revoked",
    });
    await worker.drain();
    await worker.drain();
    const waiting = await db.message.findUniqueOrThrow({ where: { id } });
    expect(waiting).toMatchObject({ status: "queued", attempts: 0 });
    expect(waiting.lastError).toMatch(/reconnect/i);
    const view = (await senderList()).find((s) => s.id === senderId)!;
    expect(view.signInFailed?.reason).toMatch(/Microsoft no longer accepts .*reconnect/);
    const told = outcomes.filter((o) => o.kind === "sign-in-failed");
    expect(told).toHaveLength(1);
    const { buildPushPayload } = await import("@/lib/push/payload");
    expect(buildPushPayload(told[0]!).title).toMatch(/reconnect it in Settings/);

    const again = await connect("microsoft", account, { reconnect: senderId });
    expect(connectedId(again)).toBe(senderId);
    await worker.drain();
    expect((await db.message.findUniqueOrThrow({ where: { id } })).status).toBe("sent");
    expect(smtp.received.at(-1)!.parsed.subject).toBe("While revoked");
    expect((await senderList()).find((s) => s.id === senderId)!.signInFailed).toBeNull();
  });

  it("a token the mail server refuses (XOAUTH2 error challenge) pauses the sender too, once", async () => {
    // Access withdrawn while the access token still looks valid here: the SMTP server's check is what refuses.
    (await import("@/lib/mail/transport")).closeAllPools();
    await authz.revokeEverything();
    const logins = smtp.logins();
    const ids = await Promise.all(
      ["f1", "f2"].map((t) =>
        api.enqueueTestMessage(user, senderId, { to: [`${t}@example.com`], subject: t }),
      ),
    );
    await worker.drain();
    await worker.drain();
    expect(smtp.logins()).toEqual({ tried: logins.tried + 1, refused: logins.refused + 1 });
    for (const m of await db.message.findMany({ where: { id: { in: ids } } })) {
      expect(m).toMatchObject({ status: "queued", attempts: 0 });
    }
    const view = (await senderList()).find((s) => s.id === senderId)!;
    expect(view.signInFailed?.reason).toMatch(/refused the access token of max@outlook.test: reconnect/);

    expect(connectedId(await connect("microsoft", account, { reconnect: senderId }))).toBe(senderId);
    await worker.drain();
    const sent = await db.message.findMany({ where: { id: { in: ids } } });
    expect(sent.map((m) => m.status)).toEqual(["sent", "sent"]);
  });

  it("refuses a callback whose state or PKCE verifier does not match, and saves nothing", async () => {
    const before = await db.sender.count({ where: { userId: user.id } });
    const badState = await connect(
      "microsoft",
      { sub: "m-2", email: "mallory@outlook.test" },
      {
        tamper: (callback, flowCookie) => {
          callback.searchParams.set("state", "not-the-state");
          return { callback, flowCookie };
        },
      },
    );
    expect(badState.status).toBe(303);
    expect(badState.headers.get("location")).toBe("/settings/senders?oauth_error=refused");

    const { decryptSecret, encryptSecret } = await import("@/lib/crypto/secret-box");
    const context = `user:${user.id}:oauth-flow`;
    const badVerifier = await connect(
      "microsoft",
      { sub: "m-2", email: "mallory@outlook.test" },
      {
        tamper: (callback, flowCookie) => {
          const [name, value] = flowCookie.split("=");
          const flow = JSON.parse(decryptSecret(value!, context)) as { v: string };
          flow.v = "x".repeat(64);
          return { callback, flowCookie: `${name}=${encryptSecret(JSON.stringify(flow), context)}` };
        },
      },
    );
    expect(badVerifier.headers.get("location")).toBe("/settings/senders?oauth_error=refused");
    const noCookie = await connect(
      "microsoft",
      { sub: "m-2", email: "mallory@outlook.test" },
      {
        tamper: (callback) => ({ callback, flowCookie: "other=1" }),
      },
    );
    expect(noCookie.headers.get("location")).toBe("/settings/senders?oauth_error=expired");
    expect(await db.sender.count({ where: { userId: user.id } })).toBe(before);
  });

  it("starts only for a configured provider, and only for the user's own sender", async () => {
    const unknown = await api.callRoute(routes.start.GET, {
      user,
      path: "/api/senders/oauth/yahoo/start",
      params: { provider: "yahoo" },
    });
    expect(unknown.status).toBe(404);
    const other = await api.signUpUser("Other");
    const theirs = await api.callRoute(routes.start.GET, {
      user: other,
      path: `/api/senders/oauth/microsoft/start?sender=${senderId}`,
      params: { provider: "microsoft" },
    });
    expect(theirs.status).toBe(404);
    const anonymous = await api.callRoute(routes.start.GET, {
      path: "/api/senders/oauth/microsoft/start",
      params: { provider: "microsoft" },
    });
    expect(anonymous.status).toBe(401);
  });
});

// Last in this file: it deletes the account the tests above share.
describe("Deleting the account", { timeout: 30_000 }, () => {
  it("revokes every connected account's grant at the provider before the account goes", async () => {
    const senderId = connectedId(await connect("google", { sub: "g-9", email: "leaving@gmail.test" }));
    const [refreshToken] = await decryptedTokens(senderId);
    // The Microsoft senders above too: the local authorization server offers revocation for every client.
    const connected = await db.sender.count({ where: { userId: user.id, oauthProvider: { not: null } } });
    expect(connected).toBeGreaterThan(1);
    const revocations = authz.revocations();
    const { DELETE } = await import("@/app/api/account/route");
    const res = await api.callRoute(DELETE, {
      method: "DELETE",
      user,
      json: { password: "correct horse battery staple" },
    });
    expect(res.status).toBe(204);
    expect(authz.revocations()).toBe(revocations + connected);
    expect((await authz.introspect(refreshToken!)).active).toBe(false);
    expect(await db.user.findUnique({ where: { id: user.id } })).toBeNull();
    expect(await db.oAuthGrant.findUnique({ where: { senderId } })).toBeNull();
  });
});
