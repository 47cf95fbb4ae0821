import { randomUUID } from "node:crypto";
import { beforeAll, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { newTimeOrderedId } from "@/lib/db/ids";
import { findDueSenders } from "@/lib/delivery/sql/find-due-senders";
import { Prisma } from "@/lib/generated/prisma/client";
import { createSender } from "@/lib/senders/senders";
import { signUpUser } from "@/tests/support/api";

// Which senders the worker's pass looks at (lib/delivery/sql/find-due-senders.ts): every sender with a queued
// message due now, from a cursor that rotates; a sender whose queue holds only messages for later is not one of
// them, however long that queue (its messages are stepped over by sender, not read one by one).

const HOUR = 3_600_000;
let ids: string[];
let named: Map<string, string>;

async function queue(userId: string, senderId: string, count: number, due: Date) {
  const now = new Date();
  const rows = Array.from({ length: count }, () => {
    const key = randomUUID();
    return Prisma.sql`(${newTimeOrderedId()}, ${userId}, ${senderId}, ${key}, 'h', ${`<${key}@due.test>`}, 'Me',
      'me@due.test', '[]', '[]', '[]', 'Subject', '<p>x</p>', 'x', 'queued', 0, ${due}, ${now}, ${now})`;
  });
  await db.$executeRaw`
    INSERT INTO "Message" ("id", "userId", "senderId", "idempotencyKey", "requestHash", "messageIdHeader",
      "fromName", "fromEmail", "to", "cc", "bcc", "subject", "html", "searchText", "status", "attempts",
      "nextAttemptAt", "createdAt", "updatedAt")
    VALUES ${Prisma.join(rows)}`;
}

/** The found senders by name, in the order found. */
async function due(after: string, limit = 32): Promise<string[]> {
  const found = await findDueSenders(db, new Date(), after, limit, { orphans: false });
  return found.map((f) => named.get(f.senderId ?? "") ?? `unknown ${f.senderId}`);
}

beforeAll(async () => {
  const user = await signUpUser("Due senders");
  const senders = [];
  for (let i = 0; i < 4; i++) {
    senders.push(
      await createSender(user.id, {
        preset: "custom",
        fromEmail: `s${i}@due.test`,
        host: "127.0.0.1",
        port: 2525,
        security: "none",
        password: "unused",
      }),
    );
  }
  // Named a, b, c, d in the order of their ids, which is the order the cursor walks them in.
  ids = senders.map((s) => s.id).sort();
  named = new Map(ids.map((id, i) => [id, "abcd"[i]!]));
  const [a, b, c, d] = ids as [string, string, string, string];
  await queue(user.id, a, 3, new Date(Date.now() - 1_000));
  // b: a long queue of scheduled messages, none due.
  await queue(user.id, b, 3_000, new Date(Date.now() + HOUR));
  await queue(user.id, c, 2, new Date(Date.now() - 1_000));
  await queue(user.id, c, 5, new Date(Date.now() + HOUR));
  // d: nothing queued at all.
  void d;
});

it("finds every sender with a due message, not the one whose queue is all for later", async () => {
  expect(await due("")).toEqual(["a", "c"]);
});

it("starts after the cursor and comes round to the senders before it, each once", async () => {
  expect(await due(ids[0]!)).toEqual(["c", "a"]);
  expect(await due(ids[1]!)).toEqual(["c", "a"]);
  expect(await due(ids[2]!)).toEqual(["a", "c"]);
  expect(await due(ids[3]!)).toEqual(["a", "c"]);
});

it("stops at the limit", async () => {
  expect(await due("", 1)).toEqual(["a"]);
  expect(await due(ids[0]!, 1)).toEqual(["c"]);
});

it("finds a sender as soon as one of its scheduled messages is due", async () => {
  const b = ids[1]!;
  await db.$executeRaw`
    UPDATE "Message" SET "nextAttemptAt" = ${new Date(Date.now() - 1_000)}
    WHERE "id" = (SELECT "id" FROM "Message" WHERE "senderId" = ${b} ORDER BY "id" DESC LIMIT 1)`;
  expect(await due("")).toEqual(["a", "b", "c"]);
  expect(await due(ids[1]!)).toEqual(["c", "a", "b"]);
});
