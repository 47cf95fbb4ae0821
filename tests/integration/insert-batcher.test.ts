import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { insertMessage, type NewMessageRow } from "@/lib/messages/insert-batcher";
import { signUpUser, type TestUser } from "@/tests/support/api";

let user: TestUser;
let senderId: string;

beforeAll(async () => {
  user = await signUpUser();
  senderId = (await db.sender.findFirstOrThrow({ where: { userId: user.id } })).id;
});

function row(overrides: Partial<NewMessageRow> = {}): NewMessageRow {
  const now = new Date();
  return {
    id: randomUUID(),
    userId: user.id,
    senderId,
    idempotencyKey: randomUUID(),
    requestHash: "h",
    messageIdHeader: `<${randomUUID()}@example.com>`,
    fromName: "Tess",
    fromEmail: user.email,
    to: [{ address: "a@example.com", name: "A" }],
    cc: [],
    bcc: [{ address: "b@example.com" }],
    subject: "Batched",
    html: "<p>x</p>",
    recipientCount: 2,
    searchText: "batched a@example.com",
    status: "queued",
    attempts: 0,
    nextAttemptAt: now,
    sendAt: null,
    createdAt: now,
    ...overrides,
  };
}

describe("group-committed message inserts", () => {
  it("stores concurrent rows exactly as Prisma reads them back", async () => {
    const rows = Array.from({ length: 20 }, () => row());
    expect(await Promise.all(rows.map(insertMessage))).toEqual(Array(20).fill("inserted"));
    const stored = await db.message.findUniqueOrThrow({ where: { id: rows[7]!.id } });
    expect(stored).toMatchObject({
      to: [{ address: "a@example.com", name: "A" }],
      bcc: [{ address: "b@example.com" }],
      status: "queued",
      createdAt: rows[7]!.createdAt,
      nextAttemptAt: rows[7]!.nextAttemptAt,
    });
  });

  it("answers duplicate for a taken idempotency key without failing its neighbours", async () => {
    const first = row();
    await insertMessage(first);
    const results = await Promise.all([
      insertMessage(row({ idempotencyKey: first.idempotencyKey })),
      insertMessage(row()),
    ]);
    expect(results).toEqual(["duplicate", "inserted"]);
  });

  it("rejects only the row that breaks a constraint when it shares a batch with good rows", async () => {
    const good = row();
    const [bad, ok] = await Promise.allSettled([
      insertMessage(row({ senderId: "no-such-sender" })),
      insertMessage(good),
    ]);
    expect(bad.status).toBe("rejected");
    expect(ok).toEqual({ status: "fulfilled", value: "inserted" });
    expect(await db.message.count({ where: { id: good.id } })).toBe(1);
  });
});
