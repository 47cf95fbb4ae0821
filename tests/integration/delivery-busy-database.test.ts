import { once } from "node:events";
import { Worker } from "node:worker_threads";
import { expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { databaseProvider } from "@/lib/db/dialect";
import { sqliteFilePath } from "@/lib/db/sqlite-path";
import { startDeliveryWorker } from "@/lib/delivery/worker";
import { env } from "@/lib/env";
import { closeAllPools } from "@/lib/mail/transport";
import { addLoopbackSender, enqueueTestMessage, signUpUser } from "@/tests/support/api";
import { startScriptedSmtp } from "@/tests/support/scripted-smtp";

// The web server and a worker process share one SQLite file. When another process holds its write lock past
// the busy timeout just as the server accepts a message, the worker's "sent" write is refused: the message was
// delivered all the same, and must end "sent" — not "failed" with "database is locked", which invites the user
// to send it again.
const onSqlite = databaseProvider === "sqlite";
if (!onSqlite)
  console.log("Busy-database delivery test skipped on PostgreSQL: it is about SQLite's write lock.");

/** Holds the database's write lock from a thread of its own (the worker's wait blocks this one) for `ms`. */
function lockFor(ms: number) {
  const holder = new Worker(
    `const { workerData, parentPort } = require("node:worker_threads");
     const db = new (require("better-sqlite3"))(workerData.file);
     db.exec("BEGIN IMMEDIATE");
     parentPort.postMessage("locked");
     setTimeout(() => { db.exec("COMMIT"); db.close(); parentPort.postMessage("released"); }, workerData.ms);`,
    { eval: true, workerData: { file: sqliteFilePath(env.databaseUrl), ms } },
  );
  return { locked: once(holder, "message"), holder };
}

it.skipIf(!onSqlite)(
  "a message accepted while the database is locked past the busy timeout is stored as sent, and sent once",
  async () => {
    const user = await signUpUser();
    // The final reply comes 1.5 s after the data: time to take the lock while the message is on its way.
    const server = await startScriptedSmtp({ slowFinalReplyMs: 1_500 });
    const sender = await addLoopbackSender(user, server.port);
    const worker = startDeliveryWorker({ pollMs: 100, maxInFlight: 1 });
    let holder: Worker | undefined;
    try {
      const id = await enqueueTestMessage(user, sender.id, { to: ["busy@example.com"] });
      const status = async () => (await db.message.findUniqueOrThrow({ where: { id } })).status;
      while ((await status()) !== "sending") await new Promise((r) => setTimeout(r, 10));
      // Longer than the busy timeout (5 s): the first "sent" write is refused.
      const lock = lockFor(7_000);
      holder = lock.holder;
      await lock.locked;
      await once(holder, "message"); // released
      await worker.drain();
      const stored = await db.message.findUniqueOrThrow({ where: { id } });
      expect(stored.lastError).toBeNull();
      expect(stored.status).toBe("sent");
      expect(server.accepted()).toBe(1);
    } finally {
      await holder?.terminate();
      await worker.stop();
      closeAllPools();
      await server.close();
    }
  },
  40_000,
);
