// Every route that takes a body, next-auth's included, stops reading it at its cap (issue 21, item 3): a 200 MB
// body is refused after at most the largest cap (11 MB, a voice recording) has been pulled from the stream.
import { NextRequest } from "next/server";
import { beforeAll, describe, expect, it } from "vitest";
import { issueSessionCookie } from "@/lib/auth/session-cookie";
import { db } from "@/lib/db/client";
import { enqueueTestMessage, signUpUser, type TestUser } from "@/tests/support/api";
import { requestScope } from "@/tests/support/next-request-scope";
import { concretePath, discoverApiRoutes, routeKey, type DiscoveredRoute } from "@/tests/support/routes";

const TOTAL = 200 * 1024 * 1024;
const CHUNK = new Uint8Array(256 * 1024).fill(0x61);
const LARGEST_CAP = 11 * 1024 * 1024;

const withBodies = discoverApiRoutes().filter((r) => ["POST", "PUT", "PATCH", "DELETE"].includes(r.method));

let user: TestUser;
let ids: Record<string, string>;
beforeAll(async () => {
  user = await signUpUser();
  const sender = await db.sender.findFirstOrThrow({ where: { userId: user.id } });
  ids = {
    senders: sender.id,
    messages: await enqueueTestMessage(user, sender.id, { to: ["a@example.com"] }),
  };
});

function paramsFor(route: DiscoveredRoute): Record<string, string | string[]> {
  const params: Record<string, string | string[]> = {};
  for (const name of route.params) {
    if (name === "...nextauth") params.nextauth = ["callback", "credentials"];
    else params[name] = ids[route.path.split("/")[2]!] ?? "0190f0f0-0000-7000-8000-000000000000";
  }
  return params;
}

describe("request bodies are capped while they are read", () => {
  it.each(withBodies.map((r) => [routeKey(r), r] as const))("%s", async (_key, route) => {
    const handler = await route.load();
    const params = paramsFor(route);
    let pulled = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (pulled >= TOTAL) return controller.close();
        pulled += CHUNK.byteLength;
        controller.enqueue(CHUNK);
      },
    });
    const path = concretePath(route.path, params);
    // A fresh session each time: DELETE /api/account/sessions ends the ones before it.
    const current = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    const cookie = (await issueSessionCookie(current)).split(";")[0]!;
    const headers = { cookie, "content-type": "application/json" };
    const req = new NextRequest(`http://localhost${path}`, {
      method: route.method,
      headers,
      body,
      duplex: "half",
    } as ConstructorParameters<typeof NextRequest>[1]);
    const res = await requestScope.run(req.headers, () => handler(req, { params: Promise.resolve(params) }));
    expect(res.status).toBeLessThan(500);
    expect(pulled).toBeLessThanOrEqual(LARGEST_CAP + CHUNK.byteLength);
    // A route that takes no body may answer without reading it; one that reads it refuses it.
    if (pulled > 2 * CHUNK.byteLength) expect(res.status).toBe(413);
  });
});
