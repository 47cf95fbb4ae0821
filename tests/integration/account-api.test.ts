import { describe, expect, it } from "vitest";
import { GET as getAccount, POST as signUp } from "@/app/api/account/route";
import { forgetUserSessions } from "@/lib/auth/session";
import { authenticateUser } from "@/lib/auth/users";
import { db } from "@/lib/db/client";
import { callRoute, fromAddress, sessionCookie } from "@/tests/support/api";

const signUpAs = (json: unknown, ip = "203.0.113.1") =>
  callRoute(signUp, { method: "POST", json, headers: fromAddress(ip) });

describe("sign-up", () => {
  it("creates the account with an argon2id hash and a Sandbox sender", async () => {
    const res = await signUpAs({
      email: "  New.User@Example.com ",
      password: "long enough password",
      name: "New",
    });
    expect(res.status).toBe(201);
    const { user } = await res.json();
    expect(user).toEqual({
      id: expect.any(String),
      email: "new.user@example.com",
      name: "New",
      createdAt: expect.any(String),
      undoSendSeconds: null,
      isAdmin: expect.any(Boolean),
    });
    const stored = await db.user.findUniqueOrThrow({ where: { id: user.id }, include: { senders: true } });
    expect(stored.passwordHash).toMatch(/^\$argon2id\$/);
    expect(stored.senders.map((s) => s.kind)).toEqual(["sandbox"]);
    expect(await authenticateUser("new.user@example.com", "long enough password")).toMatchObject({
      id: user.id,
    });
    expect(await authenticateUser("new.user@example.com", "wrong password")).toBeNull();
    expect(await authenticateUser("nobody@example.com", "long enough password")).toBeNull();
  });

  it("answers 409 for an email that already has an account", async () => {
    await signUpAs({ email: "taken@example.com", password: "long enough password" }, "203.0.113.2");
    const res = await signUpAs({ email: "TAKEN@example.com", password: "another password!" }, "203.0.113.2");
    expect(res.status).toBe(409);
    expect((await res.json()).error.fields).toHaveProperty("email");
  });

  it.each([
    ["a short password", { email: "a@example.com", password: "short" }, "password"],
    ["an invalid email", { email: "not-an-email", password: "long enough password" }, "email"],
    ["a missing email", { password: "long enough password" }, "email"],
  ])("rejects %s with 400 naming the field", async (_n, json, field) => {
    const res = await signUpAs(json, "203.0.113.3");
    expect(res.status).toBe(400);
    expect((await res.json()).error.fields).toHaveProperty(field);
  });

  it("rate limits sign-ups per client address with 429 and Retry-After", async () => {
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 6; i++) {
      last = await signUpAs(
        { email: `burst${i}@example.com`, password: "long enough password" },
        "198.51.100.7",
      );
      statuses.push(last.status);
    }
    expect(statuses).toEqual([201, 201, 201, 201, 201, 429]);
    expect(Number(last!.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await last!.json()).error.code).toBe("rate_limited");
  });

  it("GET /api/account returns the signed-in user, and 401 for a deleted one", async () => {
    const { user } = await (
      await signUpAs({ email: "gone@example.com", password: "long enough password" }, "203.0.113.4")
    ).json();
    const cookie = await sessionCookie(user.id);
    const res = await callRoute(getAccount, { headers: { cookie } });
    expect((await res.json()).user.email).toBe("gone@example.com");
    await db.user.delete({ where: { id: user.id } });
    forgetUserSessions(user.id); // what account deletion does, so a cached session dies with the account
    expect((await callRoute(getAccount, { headers: { cookie } })).status).toBe(401);
  });
});
