import { randomUUID } from "node:crypto";
import { Worker } from "node:worker_threads";
import Database from "better-sqlite3";
import { expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { databaseProvider } from "@/lib/db/dialect";
import { sqliteFilePath } from "@/lib/db/sqlite-path";
import { env } from "@/lib/env";
import { callRoute, signUpUser } from "@/tests/support/api";

// The web server and a worker process (npm run worker) share one SQLite file through two connections. A
// transaction that reads and then writes must wait for the other connection's write, not fail with
// SQLITE_BUSY — which a plain BEGIN does, since its snapshot is older than that write.
const onSqlite = databaseProvider === "sqlite";
if (!onSqlite) console.log("SQLite transaction test skipped on PostgreSQL: it is about SQLite's locking.");

it.skipIf(!onSqlite)(
  "a transaction that reads, then writes, waits for another connection's write instead of failing",
  async () => {
    const user = await signUpUser();
    // The other connection lives on a thread of its own: its wait for the lock must not stop this one.
    const other = new Worker(
      `const { workerData, parentPort } = require("node:worker_threads");
       const db = new (require("better-sqlite3"))(workerData.file, { timeout: 5000 });
       parentPort.once("message", () => {
         db.prepare('UPDATE "User" SET "name" = ? WHERE "id" = ?').run("From the other connection", workerData.id);
         parentPort.postMessage("written");
       });`,
      { eval: true, workerData: { file: sqliteFilePath(env.databaseUrl), id: user.id } },
    );
    const written = new Promise((resolve) => other.once("message", resolve));
    try {
      await db.$transaction(async (tx) => {
        const found = await tx.user.findUniqueOrThrow({ where: { id: user.id } });
        other.postMessage("write now"); // it waits for this transaction's lock
        await new Promise((r) => setTimeout(r, 100));
        await tx.user.update({ where: { id: user.id }, data: { name: `${found.name} (renamed)` } });
      });
      await written;
      const stored = await db.user.findUniqueOrThrow({ where: { id: user.id } });
      // Both writes happened, in lock order: this transaction's, then the other connection's.
      expect(stored.name).toBe("From the other connection");
    } finally {
      await other.terminate();
    }
  },
);

it.skipIf(!onSqlite)(
  "a transaction refused because another connection held the lock past the busy timeout does not stop the next one",
  async () => {
    const user = await signUpUser();
    const other = new Database(sqliteFilePath(env.databaseUrl));
    other.exec("BEGIN IMMEDIATE");
    try {
      // Waits out the busy timeout (5 s), then fails as a timeout the caller can retry.
      await expect(
        db.$transaction(async (tx) => tx.user.update({ where: { id: user.id }, data: { name: "Refused" } })),
      ).rejects.toMatchObject({ code: "P1008" });
    } finally {
      other.exec("COMMIT");
      other.close();
    }
    // Before the fix, the adapter kept its transaction mutex after the refused BEGIN, and this (and every later
    // transaction in the process: a worker's claims, a send) failed with P2028 until the process restarted.
    await db.$transaction(async (tx) =>
      tx.user.update({ where: { id: user.id }, data: { name: "Renamed" } }),
    );
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).name).toBe("Renamed");
  },
  20_000,
);

it.skipIf(!onSqlite)(
  "a send while another connection holds the database past the busy timeout is refused with 503 and Retry-After, and its retry is stored once",
  async () => {
    const user = await signUpUser();
    const { POST } = await import("@/app/api/messages/route");
    const sandbox = await db.sender.findFirstOrThrow({ where: { userId: user.id, kind: "sandbox" } });
    const json = {
      idempotencyKey: randomUUID(),
      senderId: sandbox.id,
      to: [{ address: "busy@example.com" }],
      subject: "While the database was busy",
      html: "<p>Hello</p>",
    };
    const send = () => callRoute(POST, { method: "POST", path: "/api/messages", user, json });
    const other = new Database(sqliteFilePath(env.databaseUrl));
    other.exec("BEGIN IMMEDIATE");
    let refused: Response;
    try {
      refused = await send();
    } finally {
      other.exec("COMMIT");
      other.close();
    }
    expect(refused.status).toBe(503);
    expect(refused.headers.get("retry-after")).toBe("1");
    expect(await refused.json()).toMatchObject({
      error: { code: "busy", message: expect.stringMatching(/try again/i) },
    });
    expect(await db.message.count({ where: { userId: user.id } })).toBe(0);
    const accepted = await send();
    expect(accepted.status).toBe(202);
    expect(await db.message.count({ where: { userId: user.id, subject: json.subject } })).toBe(1);
  },
  20_000,
);
