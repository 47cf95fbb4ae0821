import "server-only";
import { Worker } from "node:worker_threads";
import { providerOf } from "@/lib/db/provider";
import { sqliteFilePath } from "@/lib/db/sqlite-path";
import type { DueSender, RawClaimedRow } from "@/lib/delivery/claims";
import type { SentRecord } from "@/lib/delivery/outcome-writer";
import { env } from "@/lib/env";
import { log } from "@/lib/log/logger";

// On SQLite the delivery worker's two hot writes — its claims and its "sent" outcomes — run on a thread of their
// own, with their own connection and statements prepared once. In a profile of the worker on one thread, these
// statements (with Prisma's handling of them) took about a third of its time, while the machine's other core
// was mostly idle. The thread takes them off the thread that builds messages and talks SMTP: in bench:delivery,
// three paired runs gave 13.6k/15.1k/14.1k msg/s with it and 11.4k/14.0k/12.1k without. (On PostgreSQL the
// database already works in its own process; there the worker makes the same changes through Prisma:
// lib/delivery/claims.ts and outcome-writer.ts.)
//
// The thread's code is plain JavaScript in a string. That way it runs wherever the app runs — the Next.js
// server's bundle, tsx, the tests — with no loader and no file of its own to ship; better-sqlite3 is there
// already for Prisma's SQLite adapter. Its statements are those of claims.ts and outcome-writer.ts: the SQLite
// test project runs every delivery test through the thread, the PostgreSQL project through Prisma. Should the
// thread fail, the worker goes on through Prisma. Two connections now write to one file, as with the web
// server and a worker process: Prisma's transactions take the write lock at BEGIN (lib/db/sqlite-statements.ts),
// so they wait their turn rather than fail.

/** One sender's part of a claim pass, as the worker planned it. */
export type ClaimStep = DueSender & {
  count: number;
  /** Characters of bodies this sender may take (its share of the worker's budget). */
  charBudget: number;
  /** With `leaseExpired`: ids (lib/db/ids.ts) for the "interrupted" entries, one per message it may retake. */
  eventIds?: string[];
};

type ClaimRequest = {
  op: "claim";
  steps: ClaimStep[];
  charBudget: number;
  /** One message larger than its budget may go (claims.ts, fitToBudget). */
  mayExceed: boolean;
  now: string;
  leaseUntil: string;
  /** The timeline entry of an attempt a dead worker left; `{attempt}` is its number. */
  interruptedDetail: string;
};
type SentRequest = {
  op: "sent";
  rows: [
    id: string,
    sentAt: string,
    text: string,
    response: string,
    accepted: string[],
    rejected: string[],
  ][];
};
type Reply = { id: number; result?: unknown; error?: { message: string; code?: string } };

const THREAD_SOURCE = String.raw`
const { parentPort, workerData } = require("node:worker_threads");
const Database = require("better-sqlite3");

const db = new Database(workerData.file, { timeout: 5000 });
db.pragma("foreign_keys = ON");

const COLUMNS = '"id", "userId", "senderId", "messageIdHeader", "fromName", "fromEmail", "to", "cc", "bcc", ' +
  '"subject", "html", "text", "attempts", "createdAt", "recipientOutcomes"';
// The candidates come off the (status, senderId, nextAttemptAt) index in order, LIMIT n; a running total over
// just those n cuts the list where the bodies would go over the budget (the first message always goes).
const pickSql = (ofSender, pick) =>
  'SELECT ' + COLUMNS + ' FROM (' +
  ' SELECT *, SUM("size") OVER (ORDER BY "nextAttemptAt" ROWS UNBOUNDED PRECEDING) - "size" AS "before" FROM (' +
  '  SELECT ' + COLUMNS + ', "nextAttemptAt", length("html") + COALESCE(length("text"), 0) AS "size"' +
  '  FROM "Message" WHERE ' + ofSender + ' AND ' + pick + ' ORDER BY "nextAttemptAt" LIMIT ?' +
  ' ) AS "candidate"' +
  ') AS "running" WHERE "before" < ? ORDER BY "nextAttemptAt"';
const QUEUED = '"status" = \'queued\' AND "nextAttemptAt" <= ?';
const EXPIRED = '"status" = \'sending\' AND "leaseUntil" < ?';
const picks = {
  queued: { of: db.prepare(pickSql('"senderId" = ?', QUEUED)), none: db.prepare(pickSql('"senderId" IS NULL', QUEUED)) },
  expired: { of: db.prepare(pickSql('"senderId" = ?', EXPIRED)), none: db.prepare(pickSql('"senderId" IS NULL', EXPIRED)) },
};
const mark = db.prepare(
  'UPDATE "Message" SET "status" = \'sending\', "leaseUntil" = ?, "attempts" = "attempts" + 1, "updatedAt" = ? ' +
  'WHERE "id" IN (SELECT value FROM json_each(?))');
const interrupted = db.prepare(
  'INSERT INTO "MessageEvent" ("id", "messageId", "type", "detail", "createdAt") ' +
  'SELECT value ->> \'$[0]\', value ->> \'$[1]\', \'interrupted\', value ->> \'$[2]\', ? FROM json_each(?)');
const sent = db.prepare(
  'UPDATE "Message" SET "status" = \'sent\', "sentAt" = v."sentAt", "updatedAt" = v."sentAt", "text" = v."text", ' +
  '"smtpResponse" = v."response", "accepted" = v."accepted", "rejected" = v."rejected", "leaseUntil" = NULL, ' +
  '"lastError" = NULL FROM (SELECT value ->> \'$[0]\' AS "id", value ->> \'$[1]\' AS "sentAt", ' +
  'value ->> \'$[2]\' AS "text", value ->> \'$[3]\' AS "response", value -> \'$[4]\' AS "accepted", ' +
  'value -> \'$[5]\' AS "rejected" FROM json_each(?)) AS v WHERE "Message"."id" = v."id"');

const size = (row) => row.html.length + (row.text === null ? 0 : row.text.length);

// As fitToBudget in claims.ts: the rows whose bodies fit the budget, or one larger row while allowed.
function fit(rows, budget, req) {
  let used = 0;
  const fits = [];
  for (const row of rows) {
    used += size(row);
    if (used > budget) {
      if (fits.length === 0 && req.mayExceed) { req.mayExceed = false; fits.push(row); }
      break;
    }
    fits.push(row);
  }
  return fits;
}

// The rows are read, then marked by id (SQLite builds UPDATE … RETURNING rows in a temporary table, which
// measured twice the cost). Their attempts are as read: the claim counts the one it starts.
function take(statements, step, pickParam, count, budget, req) {
  if (count <= 0 || budget <= 0) return [];
  const params = step.senderId === null ? [pickParam, count, budget] : [step.senderId, pickParam, count, budget];
  const rows = fit((step.senderId === null ? statements.none : statements.of).all(params), budget, req);
  if (rows.length > 0) mark.run(req.leaseUntil, req.now, JSON.stringify(rows.map((r) => r.id)));
  return rows;
}

// One transaction for the whole pass, holding the write lock from BEGIN, so nothing changes between a read
// and its mark.
const claim = db.transaction((req) => {
  const out = [];
  let budget = req.charBudget;
  for (const step of req.steps) {
    let count = step.count;
    let stepBudget = Math.min(budget, step.charBudget);
    if (step.leaseExpired) {
      const expired = take(picks.expired, step, req.now, count, stepBudget, req);
      if (expired.length > 0) {
        interrupted.run(req.now, JSON.stringify(expired.map((r, i) => [
          step.eventIds[i], r.id, req.interruptedDetail.replace("{attempt}", String(r.attempts)),
        ])));
      }
      for (const r of expired) { out.push(r); budget -= size(r); stepBudget -= size(r); count -= 1; }
    }
    for (const r of take(picks.queued, step, req.now, count, stepBudget, req)) { out.push(r); budget -= size(r); }
  }
  return out;
});

const recordSent = db.transaction((req) => sent.run(JSON.stringify(req.rows)).changes);

parentPort.on("message", ({ id, request }) => {
  try {
    const result = request.op === "claim" ? claim.immediate(request) : recordSent.immediate(request);
    parentPort.postMessage({ id, result });
  } catch (error) {
    parentPort.postMessage({ id, error: { message: String(error && error.message), code: error && error.code } });
  }
});
`;

/** Timestamps as Prisma's SQLite adapter writes them, so they compare and sort with the rest. */
const sqliteTimestamp = (date: Date) => date.toISOString().replace("Z", "+00:00");

class DeliveryThread {
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private nextId = 1;

  constructor(file: string, onFailure: (error: Error) => void) {
    this.worker = new Worker(THREAD_SOURCE, {
      eval: true,
      workerData: { file },
      // It holds one claim's rows or one batch of outcomes at a time; the worker's body budget bounds both.
      resourceLimits: { maxOldGenerationSizeMb: 64 },
    });
    // The thread never keeps the process alive on its own: the work waiting on it does.
    this.worker.unref();
    this.worker.on("message", ({ id, result, error }: Reply) => {
      const call = this.pending.get(id);
      if (!call) return;
      this.pending.delete(id);
      if (error) call.reject(Object.assign(new Error(error.message), { code: error.code }));
      else call.resolve(result);
    });
    const fail = (error: Error) => {
      for (const call of this.pending.values()) call.reject(error);
      this.pending.clear();
      onFailure(error);
    };
    this.worker.on("error", fail);
    this.worker.on("exit", (code) =>
      fail(new Error(`The delivery database thread stopped (exit code ${code})`)),
    );
  }

  private call<T>(request: ClaimRequest | SentRequest): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ id, request });
    });
  }

  /** Claims each step's messages, in order, in one transaction; returns the rows as read. */
  claim(
    steps: ClaimStep[],
    charBudget: number,
    mayExceed: boolean,
    now: Date,
    leaseMs: number,
    interruptedDetail: string,
  ): Promise<RawClaimedRow[]> {
    return this.call({
      op: "claim",
      steps,
      charBudget,
      mayExceed,
      now: sqliteTimestamp(now),
      leaseUntil: sqliteTimestamp(new Date(now.getTime() + leaseMs)),
      interruptedDetail,
    });
  }

  /** Stores accepted messages' outcomes in one transaction. */
  recordSent(records: SentRecord[]): Promise<number> {
    return this.call({
      op: "sent",
      rows: records.map((r) => [r.id, sqliteTimestamp(r.sentAt), r.text, r.response, r.accepted, r.rejected]),
    });
  }
}

const g = globalThis as unknown as {
  securevaultDeliveryThreads?: Map<string, DeliveryThread | "failed">;
};
const threads = (g.securevaultDeliveryThreads ??= new Map());

/** The delivery thread for the app's SQLite database, started on first use; null on PostgreSQL. */
export function sqliteDeliveryThread(): DeliveryThread | null {
  if (providerOf(env.databaseUrl) !== "sqlite") return null;
  const file = sqliteFilePath(env.databaseUrl);
  if (file === ":memory:") return null; // a private database no second connection can see
  const known = threads.get(file);
  if (known === "failed") return null;
  if (known) return known;
  const thread = new DeliveryThread(file, (error) => {
    threads.set(file, "failed");
    log.warn({ err: error }, "the delivery database thread failed; delivery goes on through Prisma");
  });
  threads.set(file, thread);
  return thread;
}

/** True once the thread for the app's database failed and delivery went on through Prisma (for tests). */
export function sqliteDeliveryThreadFailed(): boolean {
  return threads.get(sqliteFilePath(env.databaseUrl)) === "failed";
}
