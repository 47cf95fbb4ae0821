import { expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { jsonRows } from "@/lib/db/json-rows";
import { signUpUser } from "@/tests/support/api";

// Batches written as one JSON parameter must store exactly what Prisma itself would: the same text, numbers,
// JSON and timestamps, so rows written either way compare, sort and read back alike — on both databases.

it("rows passed as one JSON parameter store the same values Prisma stores, quotes and nulls included", async () => {
  const user = await signUpUser();
  const at = new Date("2026-11-25T08:30:15.123Z");
  const tricky = `it's "quoted", has a \\ backslash, émoji 📬 and a\nnewline`;
  await db.auditEvent.create({ data: { userId: user.id, type: "reference", detail: tricky, createdAt: at } });

  const v = jsonRows({ id: "text", detail: "text", ip: "text", at: "timestamp" }, [
    { id: "json-rows-1", detail: tricky, ip: null, at },
    { id: "json-rows-2", detail: "second", ip: "203.0.113.7", at: new Date(at.getTime() + 1) },
  ]);
  const inserted = await db.$executeRaw`
    INSERT INTO "AuditEvent" ("id", "userId", "type", "detail", "ip", "createdAt")
    SELECT v."id", ${user.id}, 'batch', v."detail", v."ip", v."at" FROM ${v} AS v`;
  expect(inserted).toBe(2);

  const rows = await db.auditEvent.findMany({
    where: { userId: user.id, type: { in: ["reference", "batch"] } },
    orderBy: { createdAt: "asc" },
  });
  expect(rows.map((r) => [r.type, r.detail, r.ip, r.createdAt.toISOString()])).toEqual([
    ["reference", tricky, null, at.toISOString()],
    ["batch", tricky, null, at.toISOString()],
    ["batch", "second", "203.0.113.7", "2026-11-25T08:30:15.124Z"],
  ]);
  // The same instant written both ways is the same stored value, so comparisons in SQL agree with Prisma's.
  const same = await db.auditEvent.count({
    where: { userId: user.id, createdAt: at, type: { in: ["reference", "batch"] } },
  });
  expect(same).toBe(2);
});

it("integers and JSON values keep their types, and an empty batch touches nothing", async () => {
  const user = await signUpUser();
  const message = await db.message.create({
    data: {
      userId: user.id,
      idempotencyKey: "json-rows",
      requestHash: "h",
      messageIdHeader: "<json-rows@test>",
      fromEmail: "me@example.com",
      to: [{ address: "a@example.com" }],
      cc: [],
      bcc: [],
      subject: "s",
      html: "<p>x</p>",
      searchText: "s",
      status: "queued",
    },
  });
  const v = jsonRows({ id: "text", attempts: "integer", accepted: "json" }, [
    { id: message.id, attempts: 3, accepted: ["a@example.com", "b@example.com"] },
  ]);
  await db.$executeRaw`
    UPDATE "Message" SET "attempts" = v."attempts", "accepted" = v."accepted" FROM ${v} AS v
    WHERE "Message"."id" = v."id"`;
  const stored = await db.message.findUniqueOrThrow({ where: { id: message.id } });
  expect(stored.attempts).toBe(3);
  expect(stored.accepted).toEqual(["a@example.com", "b@example.com"]);

  const none = jsonRows({ id: "text" }, []);
  expect(await db.$executeRaw`DELETE FROM "Message" WHERE "id" IN (SELECT v."id" FROM ${none} AS v)`).toBe(0);
  expect(await db.message.count({ where: { id: message.id } })).toBe(1);
});

it("refuses a column name that is not a plain identifier", () => {
  expect(() => jsonRows({ 'id" --': "text" } as Record<string, "text">, [])).toThrow(/Unsafe column name/);
});
