// Credential sign-in limits over real HTTP (issue 21, items 1–3): they count the email next-auth checks whatever
// the body's shape, take the client's address from the socket rather than a header, slow a guesser without
// locking out the rightful user elsewhere, and refuse malformed or oversized bodies before next-auth reads them.
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

vi.hoisted(() => {
  process.env.SIGNIN_RATE_LIMIT = "2"; // per account per address; 10 per address; 20 per account
});

import * as authRoute from "@/app/api/auth/[...nextauth]/route";
import { signUpUser, type TestUser } from "@/tests/support/api";
import { requestFrom, serveRoute, type RouteServer } from "@/tests/support/route-server";

const PASSWORD = "correct horse battery staple";
const LIMIT = 2;

let server: RouteServer;
beforeAll(async () => {
  server = await serveRoute(authRoute, (url) => ({ nextauth: url.pathname.split("/").slice(3) }));
});
afterAll(() => server.close());

type Shape = "form" | "json";

const csrfByAddress = new Map<string, Promise<{ csrfToken: string; cookie: string }>>();

/** A CSRF token and its cookie, fetched from `from` once, as a browser would before signing in. */
function csrf(from: string): Promise<{ csrfToken: string; cookie: string }> {
  let token = csrfByAddress.get(from);
  if (!token) {
    token = requestFrom(from, `${server.url}/api/auth/csrf`, { method: "GET" }).then((res) => ({
      csrfToken: (JSON.parse(res.text) as { csrfToken: string }).csrfToken,
      cookie: (res.headers["set-cookie"] ?? []).map((c) => c.split(";")[0]).join("; "),
    }));
    csrfByAddress.set(from, token);
  }
  return token;
}

async function signIn(
  from: string,
  shape: Shape,
  fields: [string, string][],
  headers: Record<string, string> = {},
) {
  const { csrfToken, cookie } = await csrf(from);
  const all: [string, string][] = [...fields, ["csrfToken", csrfToken], ["json", "true"]];
  const body =
    shape === "json" ? JSON.stringify(Object.fromEntries(all)) : new URLSearchParams(all).toString();
  const contentType = shape === "json" ? "application/json" : "application/x-www-form-urlencoded";
  const res = await requestFrom(from, `${server.url}/api/auth/callback/credentials`, {
    headers: { "content-type": contentType, cookie, ...headers },
    body,
  });
  const session = (res.headers["set-cookie"] ?? []).some((c) => c.startsWith("next-auth.session-token="));
  return { status: res.status, session, retryAfter: Number(res.headers["retry-after"] ?? 0) };
}

const wrong = (user: TestUser, i: number): [string, string][] => [
  ["email", user.email],
  ["password", `guess ${i}`],
];

describe.each<Shape>(["form", "json"])("a %s body", (shape) => {
  // Each case signs in from its own loopback addresses, so the per-address counts never mix.
  const [guesser, owner] = shape === "form" ? ["127.0.0.2", "127.0.0.3"] : ["127.0.0.4", "127.0.0.5"];

  it("is limited per account: the guesser gets 429 with Retry-After, the owner elsewhere signs in", async () => {
    const user = await signUpUser();
    for (let i = 0; i < LIMIT; i++) {
      const attempt = await signIn(guesser, shape, wrong(user, i));
      expect(attempt).toMatchObject({ status: 401, session: false }); // next-auth: wrong credentials
    }
    const refused = await signIn(guesser, shape, [...wrong(user, 99)]);
    expect(refused.status).toBe(429);
    expect(refused.retryAfter).toBeGreaterThan(0);
    // Even the right password from the guesser's address waits out the window…
    expect(
      (
        await signIn(guesser, shape, [
          ["email", user.email],
          ["password", PASSWORD],
        ])
      ).status,
    ).toBe(429);
    // …while the owner, elsewhere, is not locked out.
    const owners = await signIn(owner, shape, [
      ["email", user.email],
      ["password", PASSWORD],
    ]);
    expect(owners).toMatchObject({ status: 200, session: true });
  });
});

describe("what the limits count", () => {
  it("counts the email next-auth checks when a form repeats the field (next-auth keeps the last)", async () => {
    const user = await signUpUser();
    const decoyed = (i: number): [string, string][] => [
      ["email", `decoy-${i}@example.com`],
      ["email", user.email],
      ["password", `guess ${i}`],
    ];
    for (let i = 0; i < LIMIT; i++) expect((await signIn("127.0.0.6", "form", decoyed(i))).status).toBe(401);
    expect((await signIn("127.0.0.6", "form", decoyed(LIMIT))).status).toBe(429);
  });

  it("ignores a client-sent X-Forwarded-For: a new one per request does not start a fresh count", async () => {
    const users = await Promise.all(Array.from({ length: 6 }, () => signUpUser()));
    let last = 0;
    // Per address: 5 × LIMIT attempts, spread over accounts so that no account's own limit is reached first.
    for (let i = 0; i <= 5 * LIMIT; i++) {
      const spoofed = { "x-forwarded-for": `198.51.100.${i}`, "x-securevault-peer": `203.0.113.${i}` };
      last = (await signIn("127.0.0.7", "json", wrong(users[i % 6]!, i), spoofed)).status;
      if (i < 5 * LIMIT) expect(last).toBe(401);
    }
    expect(last).toBe(429);
  });

  it("counts only failures per address: many people signing in from one address are never held up", async () => {
    const users = await Promise.all(Array.from({ length: 3 }, () => signUpUser()));
    // Twice the per-address allowance (5 × LIMIT) of successful sign-ins from one address…
    for (let i = 0; i < 10 * LIMIT; i++) {
      const user = users[i % users.length]!;
      const res = await signIn("127.0.0.8", "form", [
        ["email", user.email],
        ["password", PASSWORD],
      ]);
      expect(res).toMatchObject({ status: 200, session: true });
    }
    // …and the failures there still count: one account's allowance, then 429.
    for (let i = 0; i < LIMIT; i++)
      expect((await signIn("127.0.0.8", "form", wrong(users[0]!, i))).status).toBe(401);
    expect((await signIn("127.0.0.8", "form", wrong(users[0]!, 99))).status).toBe(429);
  });

  // 2 × LIMIT × 10 requests, each checking a password with argon2: slow on a busy machine.
  it(
    "stops a guesser with many addresses at 10 × the limit for the account",
    { timeout: 60_000 },
    async () => {
      const user = await signUpUser();
      for (let i = 0; i < 10 * LIMIT; i++) {
        expect((await signIn(`127.0.1.${1 + Math.floor(i / LIMIT)}`, "form", wrong(user, i))).status).toBe(
          401,
        );
      }
      expect((await signIn("127.0.1.200", "form", wrong(user, 99))).status).toBe(429);
    },
  );
});

describe("malformed and oversized bodies", () => {
  it("answers 400 for malformed JSON, not 500", async () => {
    const res = await requestFrom("127.0.0.8", `${server.url}/api/auth/callback/credentials`, {
      headers: { "content-type": "application/json" },
      body: "{",
    });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text).error.code).toBe("invalid_json");
  });

  it.each(["callback/credentials", "signout", "signin/credentials"])(
    "refuses a 200 MB chunked body to /api/auth/%s with 413 before the client has sent it",
    async (action) => {
      const total = 200 * 1024 * 1024;
      const chunk = Buffer.alloc(64 * 1024, "a");
      const { status, sent } = await new Promise<{ status: number; sent: number }>((resolve, reject) => {
        let sent = 0;
        let answered = false;
        const req = http.request(`${server.url}/api/auth/${action}`, {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded", "transfer-encoding": "chunked" },
          agent: false,
        });
        req.on("response", (res) => {
          answered = true;
          resolve({ status: res.statusCode!, sent });
          res.resume();
          req.destroy();
        });
        req.on("error", (error) => {
          if (!answered) reject(error);
        });
        const pump = () => {
          while (!answered && sent < total) {
            sent += chunk.length;
            if (!req.write(chunk)) return void req.once("drain", pump);
          }
          if (!answered) req.end();
        };
        pump();
      });
      expect(status).toBe(413);
      // The socket buffers a few MB at most; the body was refused, not read to its end.
      expect(sent).toBeLessThan(total / 4);
    },
  );
});
