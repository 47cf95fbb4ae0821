// Address suggestions: from the owner's sent messages and captured mail, ranked, filtered by prefix, owner-scoped.
import { beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { GET as contacts } from "@/app/api/contacts/route";
import { db } from "@/lib/db/client";
import { contactView } from "@/lib/validation/contacts";
import { callRoute, enqueueTestMessage, signUpUser, type TestUser } from "@/tests/support/api";

let owner: TestUser;
let stranger: TestUser;
const DAY = 24 * 60 * 60 * 1000;

async function suggest(query: string, user: TestUser | null = owner) {
  return callRoute(contacts, { user, path: `/api/contacts${query}` });
}

async function addresses(query: string, user = owner) {
  const res = await suggest(query, user);
  expect(res.status).toBe(200);
  return z
    .object({ contacts: z.array(contactView) })
    .parse(await res.json())
    .contacts.map((c) => c.address);
}

beforeAll(async () => {
  owner = await signUpUser("Owner");
  stranger = await signUpUser("Stranger");
  const sandbox = (await db.sender.findFirstOrThrow({ where: { userId: owner.id } })).id;
  // alice: three messages, two months ago; alan: one, today; albert: received today (captured mail).
  for (let i = 0; i < 3; i++) {
    const id = await enqueueTestMessage(owner, sandbox, { to: ["alice@example.com"] });
    await db.message.update({ where: { id }, data: { createdAt: new Date(Date.now() - 60 * DAY) } });
  }
  await enqueueTestMessage(owner, sandbox, { to: ["alan@example.com", "bob@example.org"] });
  for (const from of ["albert@example.net", owner.email]) {
    await db.sandboxMail.create({
      data: {
        userId: owner.id,
        envelopeFrom: from,
        envelopeTo: [owner.email],
        subject: "s",
        raw: Buffer.from("x"),
        size: 1,
      },
    });
  }
});

describe("contacts API", () => {
  it("ranks by how often and how recently: one message today beats three from two months ago", async () => {
    // alan: 1; alice: 3 × 1/4 = 0.75; albert (received): 0.5.
    expect(await addresses("?q=al")).toEqual(["alan@example.com", "alice@example.com", "albert@example.net"]);
  });

  it("matches the start of the address, the domain or a name word; never the user's own address", async () => {
    expect(await addresses("?q=BOB")).toEqual(["bob@example.org"]);
    expect(await addresses("?q=example.org")).toEqual(["bob@example.org"]);
    expect(await addresses("?q=lice")).toEqual([]);
    expect(await addresses(`?q=${encodeURIComponent(owner.email)}`)).toEqual([]);
    expect(await addresses("?limit=200")).toHaveLength(4);
    expect(await addresses("?limit=2")).toEqual(["alan@example.com", "bob@example.org"]);
  });

  it("is the caller's own: another user sees none of the owner's people; anonymous is 401", async () => {
    expect(await addresses("?q=a", stranger)).toEqual([]);
    expect((await suggest("?q=a", null)).status).toBe(401);
  });

  it.each([
    ["?limit=0", "limit"],
    ["?limit=201", "limit"],
    ["?limit=two", "limit"],
    [`?q=${"a".repeat(321)}`, "q"],
  ])("refuses %s with a field error", async (query, field) => {
    const res = await suggest(query);
    expect(res.status).toBe(400);
    expect(Object.keys((await res.json()).error.fields)).toEqual([field]);
  });
});
