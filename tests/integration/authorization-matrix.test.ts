// Every API route × anonymous / another user / owner, with the status each must get. Routes are discovered on
// disk: a new route without a row here fails the first test, so nobody ships an endpoint nobody checked.
import { createECDH, randomBytes, randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { newOneTimeToken } from "@/lib/auth/one-time-token";
import { db } from "@/lib/db/client";
import { createSender } from "@/lib/senders/senders";
import { callRoute, enqueueTestMessage, signUpUser, type TestUser } from "@/tests/support/api";
import { concretePath, discoverApiRoutes, routeKey, type DiscoveredRoute } from "@/tests/support/routes";

const PASSWORD = "correct horse battery staple";

type Fixture = {
  user: TestUser;
  sandboxId: string;
  smtpSenderId: string;
  messageId: string;
  mailId: string;
  pushId: string;
  invitationId: string;
  /** A valid password reset link's token for the owner. */
  resetToken: string;
};
type RequestSpec = { params?: Record<string, string>; json?: unknown; query?: string; formData?: FormData };

type Row =
  | { exempt: string }
  | {
      anonymous: number;
      /** Another signed-in user aiming at the owner's data; a reason instead where nothing of the owner's is addressable. */
      stranger: number | { selfScoped: string };
      owner: number;
      request?: (f: Fixture) => RequestSpec;
      note?: string;
    };

const AI_OFF = "AI is not configured here: 503 not_configured means the request got past authorization";
const SELF = "acts only on the caller's own account; no id of anyone else's can be named";

const byId = (f: Fixture, key: "smtpSenderId" | "messageId" | "mailId" | "pushId" | "invitationId") => ({
  params: { id: f[key] },
});

export const matrix: Record<string, Row> = {
  "GET /api/auth/[...nextauth]": { exempt: "next-auth's own routes (CSRF token, session, sign-out)" },
  "POST /api/auth/[...nextauth]": { exempt: "next-auth's own routes (credentials sign-in, sign-out)" },
  "GET /api/health": { anonymous: 200, stranger: { selfScoped: "public liveness probe" }, owner: 200 },
  // Not ready here: this test runs no delivery worker. Public, like the liveness probe, for orchestrators.
  "GET /api/ready": { anonymous: 503, stranger: { selfScoped: "public readiness probe" }, owner: 503 },
  // Without METRICS_TOKEN only loopback clients may scrape, and these requests carry no client address: refused
  // to everyone. Loopback and bearer-token access: anonymous-probes.test.ts and observability.test.ts.
  "GET /api/metrics": {
    anonymous: 403,
    stranger: { selfScoped: "Prometheus scrape, no user data" },
    owner: 403,
  },

  "POST /api/account": {
    anonymous: 201,
    stranger: { selfScoped: "sign-up is public" },
    owner: 201,
    request: () => ({ json: { email: `new-${randomUUID()}@example.com`, password: PASSWORD } }),
    note: "sign-up: public by design",
  },
  "POST /api/password-reset": {
    anonymous: 202,
    stranger: { selfScoped: "public: the answer is the same for every address, an account's or not" },
    owner: 202,
    request: (f) => ({ json: { email: f.user.email } }),
  },
  "POST /api/password-reset/confirm": {
    // The link is the credential: whoever holds it may use it, once. The owner's call comes second.
    anonymous: 204,
    stranger: { selfScoped: "public: the emailed token, not a session, authorizes it" },
    owner: 400,
    request: (f) => ({ json: { token: f.resetToken, newPassword: "another long password" } }),
    note: "single use: the anonymous call used the link up",
  },

  // The fixture's owner is the instance's admin; the other user is not.
  "GET /api/invitations": { anonymous: 401, stranger: 403, owner: 200 },
  "POST /api/invitations": { anonymous: 401, stranger: 403, owner: 201, request: () => ({ json: {} }) },
  "DELETE /api/invitations/[id]": {
    anonymous: 401,
    stranger: 403,
    owner: 200,
    request: (f) => byId(f, "invitationId"),
  },

  "GET /api/account": { anonymous: 401, stranger: { selfScoped: SELF }, owner: 200 },
  "PATCH /api/account": {
    anonymous: 401,
    stranger: { selfScoped: SELF },
    owner: 200,
    request: () => ({ json: { undoSendSeconds: 5 } }),
  },
  "DELETE /api/account": {
    anonymous: 401,
    stranger: { selfScoped: SELF },
    owner: 204,
    request: () => ({ json: { password: PASSWORD } }),
  },
  "POST /api/account/password": {
    anonymous: 401,
    stranger: { selfScoped: SELF },
    owner: 200,
    request: () => ({ json: { currentPassword: PASSWORD, newPassword: "another long password" } }),
  },
  "DELETE /api/account/sessions": { anonymous: 401, stranger: { selfScoped: SELF }, owner: 204 },
  "GET /api/account/export": { anonymous: 401, stranger: { selfScoped: SELF }, owner: 200 },
  "GET /api/account/audit": { anonymous: 401, stranger: { selfScoped: SELF }, owner: 200 },
  "GET /api/account/two-factor": { anonymous: 401, stranger: { selfScoped: SELF }, owner: 200 },
  "POST /api/account/two-factor/setup": {
    anonymous: 401,
    stranger: { selfScoped: SELF },
    owner: 200,
    request: () => ({ json: { password: PASSWORD } }),
  },
  "POST /api/account/two-factor": {
    anonymous: 401,
    stranger: { selfScoped: SELF },
    owner: 409,
    request: () => ({ json: { code: "123456" } }),
    note: "no setup started: 409 conflict means the request got past authorization",
  },
  "DELETE /api/account/two-factor": {
    anonymous: 401,
    stranger: { selfScoped: SELF },
    owner: 409,
    request: () => ({ json: { password: PASSWORD, code: "123456" } }),
    note: "two-factor is not on: 409 conflict means the request got past authorization",
  },

  "POST /api/ai/check": {
    anonymous: 401,
    stranger: { selfScoped: SELF },
    owner: 200,
    request: () => ({ json: { subject: "Hi", body: "Hello" } }),
  },
  "POST /api/ai/draft": {
    anonymous: 401,
    stranger: { selfScoped: SELF },
    owner: 503,
    request: () => ({ json: { instruction: "Say hello" } }),
    note: AI_OFF,
  },
  "POST /api/ai/rewrite": {
    anonymous: 401,
    stranger: { selfScoped: SELF },
    owner: 503,
    request: () => ({ json: { text: "hello", mode: "shorter" } }),
    note: AI_OFF,
  },
  "GET /api/ai/status": { anonymous: 401, stranger: { selfScoped: SELF }, owner: 200 },
  "POST /api/ai/subjects": {
    anonymous: 401,
    stranger: { selfScoped: SELF },
    owner: 503,
    request: () => ({ json: { body: "hello" } }),
    note: AI_OFF,
  },
  "POST /api/ai/transcribe": {
    anonymous: 401,
    stranger: { selfScoped: SELF },
    owner: 503,
    request: () => {
      const formData = new FormData();
      formData.set("audio", new File([new Uint8Array(16)], "a.webm", { type: "audio/webm" }));
      return { formData };
    },
    note: AI_OFF,
  },

  "GET /api/mailbox": { anonymous: 401, stranger: { selfScoped: SELF }, owner: 200 },
  "GET /api/mailbox/[id]": { anonymous: 401, stranger: 404, owner: 200, request: (f) => byId(f, "mailId") },

  "GET /api/messages": { anonymous: 401, stranger: { selfScoped: SELF }, owner: 200 },
  "POST /api/messages": {
    anonymous: 401,
    // Sending through someone else's sender is the spam path this table exists for.
    stranger: 404,
    owner: 202,
    request: (f) => ({
      json: { idempotencyKey: randomUUID(), senderId: f.smtpSenderId, to: [{ address: "a@example.com" }] },
    }),
  },
  "GET /api/messages/[id]": {
    anonymous: 401,
    stranger: 404,
    owner: 200,
    request: (f) => byId(f, "messageId"),
  },
  "POST /api/messages/[id]/cancel": {
    anonymous: 401,
    stranger: 404,
    owner: 200,
    request: (f) => byId(f, "messageId"),
  },
  "POST /api/messages/[id]/send-now": {
    anonymous: 401,
    stranger: 404,
    owner: 200,
    request: (f) => byId(f, "messageId"),
  },

  "GET /api/push/public-key": { anonymous: 401, stranger: { selfScoped: SELF }, owner: 200 },
  "GET /api/push/preferences": { anonymous: 401, stranger: { selfScoped: SELF }, owner: 200 },
  "PATCH /api/push/preferences": {
    anonymous: 401,
    stranger: { selfScoped: SELF },
    owner: 200,
    request: () => ({ json: { delivered: true, failed: true, retrying: false } }),
  },
  "GET /api/push/subscriptions": { anonymous: 401, stranger: { selfScoped: SELF }, owner: 200 },
  "POST /api/push/subscriptions": {
    anonymous: 401,
    stranger: { selfScoped: SELF },
    owner: 201,
    request: () => ({ json: newPushSubscription() }),
  },
  "DELETE /api/push/subscriptions/[id]": {
    anonymous: 401,
    stranger: 404,
    owner: 204,
    request: (f) => byId(f, "pushId"),
  },

  "GET /api/senders": { anonymous: 401, stranger: { selfScoped: SELF }, owner: 200 },
  "POST /api/senders": {
    anonymous: 401,
    stranger: { selfScoped: SELF },
    owner: 201,
    request: (f) => ({ json: { preset: "gmail", fromEmail: f.user.email, password: "app-password" } }),
  },
  "GET /api/senders/[id]": {
    anonymous: 401,
    stranger: 404,
    owner: 200,
    request: (f) => byId(f, "smtpSenderId"),
  },
  "PATCH /api/senders/[id]": {
    anonymous: 401,
    stranger: 404,
    owner: 200,
    request: (f) => ({ ...byId(f, "smtpSenderId"), json: { label: "Renamed" } }),
  },
  "DELETE /api/senders/[id]": {
    anonymous: 401,
    stranger: 404,
    owner: 204,
    request: (f) => byId(f, "smtpSenderId"),
  },
  "POST /api/senders/[id]/test": {
    anonymous: 401,
    stranger: 404,
    owner: 200,
    request: (f) => byId(f, "smtpSenderId"),
  },
};

const routes = discoverApiRoutes();
let stranger: TestUser;

async function makeFixture(): Promise<Fixture> {
  const user = await signUpUser();
  const sandboxId = (await db.sender.findFirstOrThrow({ where: { userId: user.id } })).id;
  // A custom server on a closed loopback port (allowlisted in tests): "test connection" fails fast, with 200.
  const smtp = await createSender(user.id, {
    preset: "custom",
    fromEmail: user.email,
    host: "127.0.0.1",
    port: 9,
    security: "none",
    password: "app-password",
  });
  await db.user.update({ where: { id: user.id }, data: { undoSendSeconds: 60, isAdmin: true } });
  const invitation = await db.invitation.create({
    data: {
      createdById: user.id,
      tokenHash: newOneTimeToken().tokenHash,
      expiresAt: new Date(Date.now() + 3_600_000),
    },
  });
  const reset = newOneTimeToken();
  await db.passwordResetToken.create({
    data: { userId: user.id, tokenHash: reset.tokenHash, expiresAt: new Date(Date.now() + 3_600_000) },
  });
  const messageId = await enqueueTestMessage({ ...user }, sandboxId, { to: ["friend@example.com"] });
  const mail = await db.sandboxMail.create({
    data: {
      userId: user.id,
      envelopeFrom: user.email,
      envelopeTo: [],
      subject: "s",
      raw: Buffer.from("Subject: s\r\n\r\nx"),
      size: 16,
    },
  });
  const subscription = newPushSubscription();
  const push = await db.pushSubscription.create({
    data: {
      userId: user.id,
      endpoint: subscription.endpoint,
      p256dh: subscription.keys.p256dh,
      auth: subscription.keys.auth,
    },
  });
  return {
    user,
    sandboxId,
    smtpSenderId: smtp.id,
    messageId,
    mailId: mail.id,
    pushId: push.id,
    invitationId: invitation.id,
    resetToken: reset.token,
  };
}

function call(route: DiscoveredRoute, spec: RequestSpec, user: TestUser | null) {
  return route.load().then((handler) => {
    const url = concretePath(route.path, spec.params ?? {}) + (spec.query ?? "");
    if (spec.formData) {
      const req = new Request(`http://localhost${url}`, {
        method: route.method,
        headers: user ? { cookie: user.cookie } : {},
        body: spec.formData,
      });
      return handler(req, { params: Promise.resolve(spec.params ?? {}) });
    }
    return callRoute(handler, {
      method: route.method,
      path: url,
      user,
      json: spec.json,
      params: spec.params ?? {},
    });
  });
}

beforeAll(async () => {
  stranger = await signUpUser("Stranger");
});

describe("authorization matrix", () => {
  it("has a row for every route handler on disk, and no row for a route that is gone", () => {
    const onDisk = routes.map(routeKey);
    expect(onDisk.length).toBeGreaterThan(20);
    const missing = onDisk.filter((key) => !(key in matrix));
    const stale = Object.keys(matrix).filter((key) => !onDisk.includes(key));
    expect(missing, `routes without a row in the authorization matrix: ${missing.join(", ")}`).toEqual([]);
    expect(stale, `rows for routes that no longer exist: ${stale.join(", ")}`).toEqual([]);
  });

  const checked = routes.filter((r) => matrix[routeKey(r)] && !("exempt" in matrix[routeKey(r)]!));
  it.each(checked.map((r) => [routeKey(r), r] as const))("%s", async (key, route) => {
    const row = matrix[key]!;
    if ("exempt" in row) return;
    const owner = await makeFixture();
    const spec = row.request?.(owner) ?? {};

    const anonymous = await call(route, row.request?.(owner) ?? {}, null);
    expect(anonymous.status, `${key} anonymous`).toBe(row.anonymous);
    if (row.anonymous === 401) expect((await anonymous.json()).error.code).toBe("unauthorized");

    if (typeof row.stranger === "number") {
      const res = await call(route, row.request?.(owner) ?? {}, stranger);
      expect(res.status, `${key} as another user`).toBe(row.stranger);
      // Nothing of the owner's changed hands: the owner still has their sender, message and mail.
      expect(await db.sender.count({ where: { id: owner.smtpSenderId, userId: owner.user.id } })).toBe(1);
      expect(await db.message.count({ where: { id: owner.messageId, status: "queued" } })).toBe(1);
    }

    const res = await call(route, spec, owner.user);
    expect(res.status, `${key} as owner: ${res.status >= 400 ? await res.text() : ""}`).toBe(row.owner);
  });
});

/** A browser's push subscription: a real P-256 public key and auth secret, an endpoint of its own. */
function newPushSubscription() {
  return {
    endpoint: `https://push.example.com/send/${randomUUID()}`,
    keys: {
      p256dh: createECDH("prime256v1").generateKeys().toString("base64url"),
      auth: randomBytes(16).toString("base64url"),
    },
  };
}
