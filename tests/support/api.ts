// Calls real route handlers with real Requests, signed in through a real next-auth session cookie.
import { randomUUID } from "node:crypto";
import { encode } from "next-auth/jwt";
import { createUser } from "@/lib/auth/users";
import { sessionCookieName } from "@/lib/auth/cookies";
import { createSession } from "@/lib/auth/session-store";
import { getInstanceSecrets } from "@/lib/crypto/instance-secrets";

type RouteHandler<P> = (req: Request, ctx: { params: Promise<P> }) => Promise<Response>;

export type TestUser = { id: string; email: string; cookie: string };

export async function signUpUser(name = "Test User"): Promise<TestUser> {
  const email = `user-${randomUUID().slice(0, 8)}@example.com`;
  const user = await createUser({ email, password: "correct horse battery staple", name });
  return { id: user.id, email, cookie: await sessionCookie(user.id) };
}

/** A cookie for a new server-side session of the user, as signing in makes. */
export async function sessionCookie(userId: string): Promise<string> {
  const sid = await createSession(userId);
  const token = await encode({ token: { sub: userId, sid }, secret: getInstanceSecrets().authSecret });
  return `${sessionCookieName}=${token}`;
}

/**
 * The headers a request from `ip` carries once the server's peer-address hook (lib/server/peer-address-hook.mjs)
 * has seen its socket: handlers called in-process have no socket, so tests that need a client address say it.
 */
export const fromAddress = (ip: string): Record<string, string> => ({
  "x-securevault-peer": ip,
  "x-forwarded-for": ip,
});

export async function callRoute<P = Record<string, string>>(
  handler: RouteHandler<P>,
  options: {
    method?: string;
    path?: string;
    user?: TestUser | null;
    json?: unknown;
    rawBody?: string;
    headers?: Record<string, string>;
    params?: P;
  } = {},
): Promise<Response> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.user) headers.cookie = options.user.cookie;
  let body: string | undefined;
  if (options.json !== undefined || options.rawBody !== undefined) {
    headers["content-type"] ??= "application/json";
    body = options.rawBody ?? JSON.stringify(options.json);
  }
  const req = new Request(`http://localhost${options.path ?? "/"}`, {
    method: options.method ?? "GET",
    headers,
    body,
  });
  return handler(req, { params: Promise.resolve((options.params ?? {}) as P) });
}

/** POST /api/messages as the user: a fresh idempotency key, plain recipients; returns the stored message's id. */
export async function enqueueTestMessage(
  user: TestUser,
  senderId: string,
  { to, subject = "Test message", html = "<p>x</p>" }: { to: string[]; subject?: string; html?: string },
): Promise<string> {
  const { POST } = await import("@/app/api/messages/route");
  const res = await callRoute(POST, {
    method: "POST",
    path: "/api/messages",
    user,
    json: { idempotencyKey: randomUUID(), senderId, to: to.map((address) => ({ address })), subject, html },
  });
  if (res.status !== 202) throw new Error(`enqueue answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { message: { id: string } }).message.id;
}

/** A custom SMTP sender of the user's on a loopback test server (me@acme.test / "pw" unless overridden). */
export async function addLoopbackSender(
  user: TestUser,
  port: number,
  overrides: Record<string, unknown> = {},
): Promise<{ id: string; limits: Record<string, number | null> }> {
  const { POST } = await import("@/app/api/senders/route");
  const res = await callRoute(POST, {
    method: "POST",
    path: "/api/senders",
    user,
    json: {
      preset: "custom",
      fromEmail: "me@acme.test",
      host: "127.0.0.1",
      port,
      security: "none",
      password: "pw",
      ...overrides,
    },
  });
  if (res.status !== 201) throw new Error(`creating the sender answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { sender: { id: string; limits: Record<string, number | null> } }).sender;
}
