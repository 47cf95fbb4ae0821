// The first account of a fresh instance needs no invitation and becomes its admin — exactly one, even when
// several sign-ups arrive at once. Issue 21, item 5.
import { describe, expect, it, vi } from "vitest";

vi.hoisted(() => {
  Object.assign(process.env, { SIGNUP_MODE: "invite", SIGNUP_RATE_LIMIT: "1000" });
});

import { POST as signUpRoute } from "@/app/api/account/route";
import { db } from "@/lib/db/client";
import { callRoute } from "@/tests/support/api";

describe("the first account", () => {
  it("of several simultaneous sign-ups on an empty instance, one gets in as admin; invite-only refuses the rest", async () => {
    expect(await db.user.count()).toBe(0);
    const responses = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        callRoute(signUpRoute, {
          method: "POST",
          json: { email: `first-${i}@example.com`, password: "correct horse battery staple" },
        }),
      ),
    );
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses).toEqual([201, 403, 403, 403, 403, 403]);
    const users = await db.user.findMany();
    expect(users).toHaveLength(1);
    expect(users[0]!.isAdmin).toBe(true);
  });
});
