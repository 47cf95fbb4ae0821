import "server-only";
import os from "node:os";
import { db } from "@/lib/db/client";
import { log } from "@/lib/log/logger";
import { processSingleton } from "@/lib/server/singleton";

// A worker beats each time its loop looks for work. The beat is kept in memory for this process's own
// readiness, and written to the database (at most every few seconds) for web processes that run without
// delivery and need to know some worker is alive.
const WRITE_EVERY_MS = 10_000;
const id = `${os.hostname()}:${process.pid}`;
const state = processSingleton("heartbeat", () => ({ lastBeat: 0, lastWrite: 0 }));

export function beat(): void {
  const now = Date.now();
  state.lastBeat = now;
  if (now - state.lastWrite < WRITE_EVERY_MS) return;
  state.lastWrite = now;
  db.workerHeartbeat
    .upsert({ where: { id }, create: { id, seenAt: new Date(now) }, update: { seenAt: new Date(now) } })
    .catch((error) => log.warn({ err: error }, "could not record the worker heartbeat"));
}

/** When this process's worker last looked for work (0: it has no worker, or it has not started). */
export function lastLocalBeat(): number {
  return state.lastBeat;
}

/** The most recent beat of any worker, from the database. */
export async function lastBeatAnywhere(): Promise<Date | null> {
  const latest = await db.workerHeartbeat.findFirst({
    orderBy: { seenAt: "desc" },
    select: { seenAt: true },
  });
  return latest?.seenAt ?? null;
}

/** Removes this process's row on a clean stop, so it does not look alive afterwards. */
export async function forgetHeartbeat(): Promise<void> {
  await db.workerHeartbeat.deleteMany({ where: { id } }).catch(() => undefined);
}
