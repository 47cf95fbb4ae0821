import "server-only";
import fs from "node:fs";
import net from "node:net";
import { db } from "@/lib/db/client";
import { databaseProvider } from "@/lib/db/dialect";
import { migrationPaths } from "@/lib/db/provider";
import { lastBeatAnywhere, lastLocalBeat } from "@/lib/delivery/heartbeat";
import { env } from "@/lib/env";
import { log } from "@/lib/log/logger";
import { sandboxRuntime } from "@/lib/sandbox/runtime";

export type Check = { status: "ok" | "fail"; detail: string };
export type Readiness = { status: "ready" | "not_ready"; checks: Record<string, Check> };

/** A worker that has not looked for work for this long is taken to be stuck or gone. */
const HEARTBEAT_MAX_AGE_MS = Math.max(120_000, env.DELIVERY_POLL_MS * 5);

/**
 * Everything this process needs to serve SecureVault properly, each check with a reason. A standalone worker
 * leaves out the sandbox mailbox, which lives in the web process.
 */
export async function checkReadiness({ sandbox: withSandbox = true } = {}): Promise<Readiness> {
  const [database, migrations, worker, sandbox] = await Promise.all([
    guard("database", checkDatabase),
    guard("migrations", checkMigrations),
    guard("worker", checkWorker),
    withSandbox ? guard("sandbox", checkSandbox) : null,
  ]);
  const checks: Record<string, Check> = { database: database!, migrations: migrations!, worker: worker! };
  if (sandbox) checks.sandbox = sandbox;
  const ready = Object.values(checks).every((c) => c.status === "ok");
  return { status: ready ? "ready" : "not_ready", checks };
}

// Probes are anonymous: a failing check says that it failed, and its error (which may name hosts, users or
// queries) goes to the server log only.
async function guard(name: string, check: () => Promise<Check | null>): Promise<Check | null> {
  try {
    return await check();
  } catch (error) {
    log.warn({ err: error, check: name }, "readiness check failed");
    return { status: "fail", detail: "error (details in the server log)" };
  }
}

async function checkDatabase(): Promise<Check> {
  await db.$queryRaw`SELECT 1`;
  return { status: "ok", detail: "reachable" };
}

async function checkMigrations(): Promise<Check> {
  const dir = migrationPaths(databaseProvider).migrationsDir;
  const committed = fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name);
  const rows = await db.$queryRaw<{ migration_name: string }[]>`
    SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`;
  const applied = new Set(rows.map((r) => r.migration_name));
  const pending = committed.filter((name) => !applied.has(name));
  return pending.length
    ? { status: "fail", detail: `not applied: ${pending.join(", ")}` }
    : { status: "ok", detail: `${committed.length} applied` };
}

async function checkWorker(): Promise<Check> {
  const local = lastLocalBeat();
  // This process runs delivery: its own loop must be turning. Otherwise some worker process must be alive.
  const last = env.DELIVERY_WORKER_ENABLED ? local : ((await lastBeatAnywhere())?.getTime() ?? 0);
  const where = env.DELIVERY_WORKER_ENABLED ? "in this process" : "in any worker process";
  if (!last) return { status: "fail", detail: `no delivery worker has started ${where}` };
  const age = Date.now() - last;
  return age <= HEARTBEAT_MAX_AGE_MS
    ? { status: "ok", detail: `last seen ${Math.round(age / 1000)} s ago ${where}` }
    : { status: "fail", detail: `last seen ${Math.round(age / 1000)} s ago ${where}` };
}

async function checkSandbox(): Promise<Check | null> {
  if (!env.SANDBOX_SMTP_ENABLED) return null;
  const port = sandboxRuntime.port;
  if (!port) return { status: "fail", detail: "the sandbox mailbox has not started" };
  await new Promise<void>((resolve, reject) => {
    const socket = net.connect({ host: env.SANDBOX_SMTP_HOST, port, timeout: 1000 });
    socket.once("connect", () => {
      socket.destroy();
      resolve();
    });
    socket.once("timeout", () => {
      socket.destroy();
      reject(new Error(`the sandbox mailbox did not answer on port ${port}`));
    });
    socket.once("error", reject);
  });
  return { status: "ok", detail: `listening on ${env.SANDBOX_SMTP_HOST}:${port}` };
}
