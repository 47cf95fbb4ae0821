import fs from "node:fs";
import path from "node:path";
import { expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { onPostgres } from "@/lib/db/dialect";
import { getMessageOrThrow } from "@/lib/messages/queries";
import { addLoopbackSender, enqueueTestMessage, signUpUser } from "@/tests/support/api";

// Messages stored before per-recipient outcomes keep their meaning: the recipients a server refused become
// "refused" entries (no reason was kept), and a sent message with any is partly delivered. The migration's data
// step runs here on rows shaped as the old code left them, on SQLite and PostgreSQL alike.
const folder = onPostgres ? "migrations-postgres" : "migrations";
const dir = fs.readdirSync(path.resolve("prisma", folder)).find((d) => d.endsWith("_recipient_outcomes"))!;
const dataStep = fs
  .readFileSync(path.resolve("prisma", folder, dir, "migration.sql"), "utf8")
  .split("\n")
  .filter((line) => !line.startsWith("ALTER TABLE") && !line.startsWith("--"))
  .join("\n");

it("turns an old message's refused recipients into refused entries, and the message into partly delivered", async () => {
  const user = await signUpUser();
  const sender = await addLoopbackSender(user, 2525);
  const legacy = await enqueueTestMessage(user, sender.id, { to: ["a@x.test", "b@y.test"] });
  const whole = await enqueueTestMessage(user, sender.id, { to: ["a@x.test"] });
  const old = { status: "sent", sentAt: new Date(), attempts: 1 };
  await db.message.update({
    where: { id: legacy },
    data: { ...old, accepted: ["a@x.test"], rejected: ["b@y.test"] },
  });
  await db.message.update({ where: { id: whole }, data: { ...old, accepted: ["a@x.test"], rejected: [] } });

  await db.$executeRawUnsafe(dataStep);

  const stored = await db.message.findUniqueOrThrow({ where: { id: legacy } });
  expect(stored.recipientOutcomes).toEqual([
    { address: "a@x.test", state: "accepted", attempt: 1 },
    { address: "b@y.test", state: "refused", attempt: 1 },
  ]);
  const migrated = await getMessageOrThrow(user.id, legacy);
  expect(migrated.status).toBe("partial");
  expect(migrated.recipients).toEqual([
    { address: "a@x.test", state: "accepted", reply: null, reason: null },
    { address: "b@y.test", state: "refused", reply: null, reason: null },
  ]);
  const untouched = await db.message.findUniqueOrThrow({ where: { id: whole } });
  expect(untouched).toMatchObject({ status: "sent", recipientOutcomes: null });
  // Signing up hashes a password with argon2id, slow on a busy machine.
}, 30_000);
