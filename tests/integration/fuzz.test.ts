// Sends well over 10,000 malformed requests at every API route (discovered on disk), signed in and anonymous,
// and expects no 5xx and no crash. A seeded PRNG makes any failure reproducible: FUZZ_SEED=<n> re-runs one seed.
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startFakeOpenAI, type FakeOpenAI } from "@/tests/support/fake-openai";
import type { TestUser } from "@/tests/support/api";
import { requestScope } from "@/tests/support/next-request-scope";
import { concretePath, discoverApiRoutes, routeKey, type DiscoveredRoute } from "@/tests/support/routes";

vi.hoisted(() => {
  Object.assign(process.env, {
    // Raised so requests reach validation instead of stopping at 429. The password and sign-up limits stay low:
    // each allowed attempt costs an argon2 hash, and 429 is a correct answer.
    SEND_RATE_LIMIT_PER_MIN: "1000000",
    SEND_SENDER_RATE_LIMIT_PER_MIN: "1000000",
    SEND_DAILY_QUOTA: "1000000",
    TEST_CONNECTION_RATE_LIMIT: "1000000",
    AI_RATE_LIMIT_PER_MIN: "1000000",
    AI_DAILY_TOKEN_BUDGET: "1000000000",
    SIGNIN_RATE_LIMIT: "1000000",
    API_RATE_LIMIT_PER_MIN: "100000",
  });
});

const SEED = Number(process.env.FUZZ_SEED ?? 20261125);
const REQUESTS = 10_500;

// mulberry32: tiny, fast, good enough to pick test inputs.
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = prng(SEED);
const int = (n: number) => Math.floor(rand() * n);
const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;

const nasty = [
  "",
  " ",
  "a".repeat(70_000),
  "x\r\nBcc: victim@example.com",
  "Subject: hi\nX-Injected: 1",
  "\u0000\u0001\u0007\u001b[31m",
  "\u202e\u200b\ufeff\ud800",
  "💌".repeat(500),
  "<script>alert(1)</script>",
  "<img src=x onerror=alert(1)>",
  "../../etc/passwd",
  "%00%0d%0a",
  "null",
  "undefined",
  "-1",
  "1e309",
  "NaN",
  "__proto__",
  "a@b",
  "user@example.com\r\n",
  '"quoted"@example.com',
  "Name <a@example.com>, b@example.com",
  "2026-13-45T99:99:99Z",
  "127.0.0.1",
  "[::ffff:127.0.0.1]",
  "localhost",
] as const;

function nastyValue(depth = 0): unknown {
  switch (int(depth > 2 ? 7 : 10)) {
    case 0:
      return pick(nasty);
    case 1:
      return pick([0, -1, 1.5, 2 ** 53, -(2 ** 31), Number.MAX_SAFE_INTEGER, 1e308]);
    case 2:
      return pick([true, false, null]);
    case 3:
      return pick(nasty) + pick(nasty);
    case 4:
      return randomString(int(300));
    case 5:
      return crlf();
    case 6:
      return "";
    case 7:
      return Array.from({ length: int(4) }, () => nastyValue(depth + 1));
    case 8:
      return { address: nastyValue(depth + 1), name: nastyValue(depth + 1) };
    default:
      return Object.fromEntries(
        Array.from({ length: int(4) }, () => [pick(fieldNames), nastyValue(depth + 1)]),
      );
  }
}

// A URL cannot carry a lone UTF-16 surrogate (encodeURIComponent throws): the fuzzer's strings can.
const wellFormed = (s: string) => s.replace(/[\ud800-\udfff]/g, "\ufffd");

function randomString(length: number): string {
  let s = "";
  for (let i = 0; i < length; i++) s += String.fromCharCode(int(rand() < 0.8 ? 128 : 0x10000));
  return s;
}

const crlf = () =>
  `${pick(["Name", "a@example.com", "Hi"])}${pick(["\r\n", "\n", "\r", "\r\n\r\n"])}${pick(["Bcc: x@evil.example", "X-Spam: yes", ""])}`;

// Field names the API knows, so mutated bodies get past "unknown key" and into each field's validation.
const fieldNames = [
  "idempotencyKey",
  "senderId",
  "to",
  "cc",
  "bcc",
  "subject",
  "html",
  "sendAt",
  "preset",
  "label",
  "fromName",
  "fromEmail",
  "username",
  "host",
  "port",
  "security",
  "password",
  "maxConnections",
  "maxPerSecond",
  "maxPerDay",
  "email",
  "name",
  "undoSendSeconds",
  "currentPassword",
  "newPassword",
  "instruction",
  "tone",
  "length",
  "language",
  "quoted",
  "text",
  "mode",
  "body",
  "attachments",
  "token",
  "inviteToken",
  "scopes",
  "expiresAt",
  "code",
  "url",
  "kind",
  "events",
  "description",
  "enabled",
  "rotateSecret",
] as const;

let senderId = "";
let messageId = "";
let webhookId = "";
/** Each fuzz user's API key (every scope), sent to /api/v1 routes. */
const apiKeys = new Map<string, string>();

/** A plausible body for most routes, with some fields replaced by nasty values. */
function mutatedBody(): unknown {
  const base: Record<string, unknown> = {
    idempotencyKey: crypto.randomUUID(),
    senderId,
    to: [{ address: "a@example.com", name: "A" }],
    subject: "Hello",
    html: "<p>Hi</p>",
    preset: pick(["gmail", "custom", "outlook"]),
    fromEmail: "me@example.com",
    password: "app-password",
    host: "smtp.example.com",
    port: 587,
    security: "starttls",
    instruction: "Write hello",
    text: "hello",
    mode: "shorter",
    body: "hello",
    undoSendSeconds: 5,
    name: "Key",
    scopes: ["messages:send"],
    url: "https://hooks.example.com/x",
    events: ["message.failed"],
  };
  for (let i = 0, n = 1 + int(4); i < n; i++) base[pick(fieldNames)] = nastyValue();
  if (rand() < 0.2)
    base.to = Array.from({ length: 50 + int(200) }, () => ({ address: `r${int(1e6)}@example.com` }));
  return base;
}

function deeplyNested(): string {
  const depth = 1000 + int(20_000);
  return rand() < 0.5
    ? "[".repeat(depth) + "]".repeat(depth)
    : '{"a":'.repeat(depth) + "1" + "}".repeat(depth);
}

type Case = {
  path: string;
  params: Record<string, string | string[]>;
  init: RequestInit & { headers: Record<string, string> };
};

function makeCase(route: DiscoveredRoute, user: TestUser | null): Case {
  const params: Record<string, string | string[]> = {};
  for (const name of route.params) {
    if (name.startsWith("..."))
      params[name.slice(3)] = pick([
        ["signin"],
        ["callback", "credentials"],
        ["csrf"],
        ["session"],
        ["signout"],
        [pick(nasty)],
        ["providers"],
      ]);
    else
      params[name] = pick([
        senderId,
        messageId,
        webhookId,
        String(pick(nasty)),
        randomString(int(80)),
        "x".repeat(5000),
      ]);
  }
  const headers: Record<string, string> = {};
  if (user) headers.cookie = user.cookie;
  if (route.path.startsWith("/api/v1/")) {
    // Mostly the user's real key, so requests get past authentication into validation.
    const key = user ? apiKeys.get(user.id) : undefined;
    headers.authorization =
      key && rand() < 0.85
        ? `Bearer ${key}`
        : pick([
            "",
            "Bearer",
            "Bearer sv_live_",
            `Bearer sv_live_${"A".repeat(32)}`,
            "Basic abc",
            `Bearer ${randomString(40).replace(/[^\x20-\x7e]/g, "")}`,
          ]);
    if (!headers.authorization) delete headers.authorization;
    if (rand() < 0.3)
      headers["idempotency-key"] = pick([crypto.randomUUID(), "", "x".repeat(300), "not-a-uuid"]);
  }
  if (rand() < 0.2)
    headers["x-forwarded-for"] = pick([
      "1.2.3.4",
      "",
      "::1, evil",
      randomString(20).replace(/[^\x20-\x7e]/g, ""),
    ]);
  let body: BodyInit | undefined;
  if (route.method !== "GET" && route.method !== "HEAD") {
    const kind = int(10);
    const json = () => JSON.stringify(kind < 4 ? mutatedBody() : nastyValue());
    headers["content-type"] = pick([
      "application/json",
      "application/json",
      "application/json; charset=utf-8",
      "text/plain",
      "multipart/form-data; boundary=xyz",
      "application/x-www-form-urlencoded",
      "",
      "application/json\r\nX-Evil: 1".replace(/[\r\n]/g, ""),
    ]);
    if (!headers["content-type"]) delete headers["content-type"];
    body =
      kind < 6
        ? json()
        : kind === 6
          ? deeplyNested()
          : kind === 7
            ? pick([
                "{",
                "{'a':1}",
                "[1,2",
                "\u0000",
                "true",
                '"string"',
                "1e999999",
                '{"__proto__":{"admin":true}}',
              ])
            : kind === 8
              ? new Uint8Array(Array.from({ length: int(2000) }, () => int(256)))
              : rand() < 0.5
                ? '--xyz\r\nContent-Disposition: form-data; name="audio"; filename="a.webm"\r\n\r\nabc\r\n--xyz--\r\n'
                : `email=${encodeURIComponent(wellFormed(String(pick(nasty))))}&password=x&csrfToken=${pick(nasty)}`;
  }
  const urlParams = Object.fromEntries(
    Object.entries(params).map(([k, v]) => [k, Array.isArray(v) ? v.map(wellFormed) : wellFormed(v)]),
  );
  return {
    path: concretePath(route.path, urlParams) + absurdQuery(),
    params,
    init: { method: route.method, headers, body },
  };
}

function absurdQuery(): string {
  switch (int(6)) {
    case 0:
      return "";
    case 1:
      return `?q=${encodeURIComponent(wellFormed(String(pick(nasty))))}&limit=${pick(["-1", "0", "1e9", "abc", "20", ""])}&status=${pick(["sent", "bogus", ""])}`;
    case 2:
      return `?cursor=${encodeURIComponent(wellFormed(randomString(int(200))))}&limit=${int(500)}`;
    case 3:
      return "?" + Array.from({ length: 500 }, (_, i) => `q=${i}`).join("&");
    case 4:
      return `?${pick(["%", "%zz", "%E0%A4%A", "a=%00", "&&&==", "q=" + "x".repeat(10_000)])}`;
    default:
      return `?cursor=${pick([messageId, senderId, "null"])}`;
  }
}

let upstream: FakeOpenAI;
let users: TestUser[];

beforeAll(async () => {
  // A configured AI backend that always answers, so AI routes run their full path (5xx there would be ours).
  upstream = await startFakeOpenAI((body) =>
    body.stream
      ? { kind: "stream", pieces: ["Hello", " there"], delayMs: 0 }
      : {
          kind: "json",
          // One answer that every JSON-answering AI route accepts (subjects, checks, templates, openings).
          content: {
            subjects: ["A", "B", "C"],
            findings: [],
            name: "Fuzz template",
            subject: "Hello {{ first_name }}",
            html: '<p>Hello {{ first_name | default: "there" }}</p>',
            opening: "Hello there.",
          },
        },
  );
  Object.assign(process.env, {
    OPENAI_API_KEY: "sk-fuzz",
    OPENAI_BASE_URL: upstream.baseUrl,
    OPENAI_MODEL: "fuzz",
  });
  const api = await import("@/tests/support/api");
  const { db } = await import("@/lib/db/client");
  users = [await api.signUpUser("Fuzz One"), await api.signUpUser("Fuzz Two")];
  senderId = (await db.sender.findFirstOrThrow({ where: { userId: users[0]!.id } })).id;
  // The first is the admin, so the invitation routes get past authorization into validation.
  await db.user.update({ where: { id: users[0]!.id }, data: { isAdmin: true } });
  messageId = await api.enqueueTestMessage(users[0]!, senderId, { to: ["a@example.com"] });
  const { generateApiKey, hashApiKey } = await import("@/lib/api-keys/keys");
  const { API_KEY_SCOPES } = await import("@/lib/api-keys/scopes");
  for (const user of users) {
    const key = generateApiKey();
    await db.apiKey.create({
      data: {
        userId: user.id,
        name: "fuzz",
        prefix: key.slice(0, 12),
        keyHash: hashApiKey(key),
        scopes: [...API_KEY_SCOPES],
      },
    });
    apiKeys.set(user.id, key);
  }
  const { createWebhook } = await import("@/lib/webhooks/endpoints");
  webhookId = (
    await createWebhook(users[0]!.id, {
      url: "https://hooks.example.com/fuzz",
      kind: "standard",
      events: ["message.failed"],
      description: null,
    })
  ).webhook.id;
});

afterAll(() => upstream.close());

describe("fuzzing every route", () => {
  it(
    `answers ${REQUESTS} malformed requests without a 5xx or a crash (seed ${SEED})`,
    { timeout: 120_000 },
    async () => {
      // Every route handler, next-auth's included: it runs in a stand-in for Next's request scope.
      const routes = discoverApiRoutes();
      const handlers = new Map(
        await Promise.all(routes.map(async (r) => [routeKey(r), await r.load()] as const)),
      );
      const { issueSessionCookie } = await import("@/lib/auth/session-cookie");
      const { db } = await import("@/lib/db/client");
      const histogram: Record<string, number> = {};
      const failures: string[] = [];
      const started = Date.now();

      for (let i = 0; i < REQUESTS; i++) {
        const route = routes[i % routes.length]!;
        const userIndex = int(3);
        const user = userIndex < 2 ? users[userIndex]! : null;
        const c = makeCase(route, user);
        let status: number;
        try {
          // Next.js hands route handlers a NextRequest (next-auth reads its nextUrl): so does the fuzzer.
          const req = new NextRequest(`http://localhost${c.path}`, {
            ...c.init,
            duplex: "half",
          } as ConstructorParameters<typeof NextRequest>[1]);
          const res = await requestScope.run(req.headers, () =>
            handlers.get(routeKey(route))!(req, { params: Promise.resolve(c.params) }),
          );
          status = res.status;
          await res.arrayBuffer().catch(() => undefined);
        } catch (error) {
          status = -1;
          failures.push(
            `#${i} ${routeKey(route)} ${c.path.slice(0, 120)} threw ${String(error).slice(0, 200)}`,
          );
        }
        histogram[status] = (histogram[status] ?? 0) + 1;
        // /api/ready answers 503 by design while no delivery worker runs (none does in this file).
        const designed503 = status === 503 && route.path === "/api/ready";
        if (status >= 500 && !designed503)
          failures.push(`#${i} ${routeKey(route)} ${c.path.slice(0, 120)} → ${status}`);
        // Sign out everywhere (or a password change) ends the fuzz user's session: take a fresh one.
        if (user && (route.path === "/api/account/sessions" || route.path === "/api/account/password")) {
          const row = await db.user.findUnique({ where: { id: user.id } });
          if (row) user.cookie = (await issueSessionCookie(row)).split(";")[0]!;
        }
      }

      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      console.log(
        `fuzz: ${REQUESTS} requests across ${routes.length} route handlers in ${seconds} s, seed ${SEED}`,
      );
      console.log(`fuzz: status histogram ${JSON.stringify(histogram)}`);
      expect(failures, failures.slice(0, 20).join("\n")).toEqual([]);
      expect(Object.values(histogram).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(10_000);
    },
  );
});
