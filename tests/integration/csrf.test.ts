import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { POST as postMessage } from "@/app/api/messages/route";
import { DELETE as deleteSender } from "@/app/api/senders/[id]/route";
import { db } from "@/lib/db/client";
import { callRoute, signUpUser, type TestUser } from "@/tests/support/api";

let user: TestUser;
let senderId: string;

beforeAll(async () => {
  user = await signUpUser();
  senderId = (await db.sender.findFirstOrThrow({ where: { userId: user.id } })).id;
});

const send = (headers: Record<string, string>) =>
  callRoute(postMessage, {
    method: "POST",
    path: "/api/messages",
    user,
    headers: { host: "localhost", ...headers },
    json: {
      idempotencyKey: randomUUID(),
      senderId,
      to: [{ address: "a@example.com" }],
      subject: "CSRF",
      html: "",
    },
  });

describe("cross-site request forgery", () => {
  it.each([
    ["another site's Origin", { origin: "https://evil.example" }],
    ["Sec-Fetch-Site: cross-site", { "sec-fetch-site": "cross-site" }],
    ["Sec-Fetch-Site: same-site (a sibling subdomain)", { "sec-fetch-site": "same-site" }],
    ["a malformed Origin", { origin: "null" }],
  ])("refuses a write with %s, storing nothing", async (_name, headers) => {
    const before = await db.message.count({ where: { userId: user.id } });
    const res = await send(headers);
    expect(res.status).toBe(403);
    expect((await res.json()).error.code).toBe("forbidden");
    expect(await db.message.count({ where: { userId: user.id } })).toBe(before);
  });

  it.each([
    ["its own Origin", { origin: "http://localhost" }],
    ["Sec-Fetch-Site: same-origin", { "sec-fetch-site": "same-origin", origin: "http://localhost" }],
    ["no browser headers (an API client)", {}],
  ])("accepts a write with %s", async (_name, headers) => {
    expect((await send(headers)).status).toBe(202);
  });

  it("guards every state-changing method, DELETE included", async () => {
    const res = await callRoute(deleteSender, {
      method: "DELETE",
      user,
      params: { id: senderId },
      headers: { origin: "https://evil.example", host: "localhost" },
    });
    expect(res.status).toBe(403);
  });
});
