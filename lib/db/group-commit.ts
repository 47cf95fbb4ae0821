// Group commit: many callers' rows written by one statement and one commit instead of one each, which spreads
// the driver's and the disk's cost per commit over the batch. Each caller gets its own row's result, once its
// batch is committed. The send path's inserts (lib/messages/insert-batcher.ts) and the delivery worker's "sent"
// outcomes (lib/delivery/store.ts) both write through it.
import { isDatabaseBusy } from "@/lib/db/errors";

export type GroupCommitOptions<T, R> = {
  /** Rows in one batch at most. */
  maxBatch: number;
  /** How long a batch's first row waits for others to join it; 0: those that arrive in the same turn of the event loop. */
  gatherMs: number;
  /** Batches written at the same time at most; rows that arrive meanwhile gather for the next one. */
  maxWritesAtOnce: number;
  /** Writes one batch and returns one result per row, in order. */
  write: (rows: T[]) => Promise<readonly R[]>;
  /**
   * When a batch of several fails, write each of its rows alone, so one bad row does not fail the others (not when
   * the database was busy: lib/db/errors.ts).
   */
  retryAlone?: boolean;
};

type Pending<T, R> = { row: T; resolve: (result: R) => void; reject: (error: unknown) => void };

/** A function that adds a row to the next batch and resolves with its result once that batch is committed. */
export function groupCommit<T, R>(options: GroupCommitOptions<T, R>): (row: T) => Promise<R> {
  const { maxBatch, gatherMs, maxWritesAtOnce, write, retryAlone = false } = options;
  const queue: Pending<T, R>[] = [];
  let gathering: { cancel: () => void } | null = null;
  let writing = 0;

  const flush = () => {
    gathering?.cancel();
    gathering = null;
    while (queue.length > 0 && writing < maxWritesAtOnce) void writeBatch(queue.splice(0, maxBatch));
  };

  const schedule = () => {
    if (gathering || writing >= maxWritesAtOnce) return;
    if (queue.length >= maxBatch) return flush();
    if (gatherMs === 0) {
      const immediate = setImmediate(flush);
      gathering = { cancel: () => clearImmediate(immediate) };
    } else {
      const timer = setTimeout(flush, gatherMs);
      gathering = { cancel: () => clearTimeout(timer) };
    }
  };

  async function writeBatch(batch: Pending<T, R>[]): Promise<void> {
    writing += 1;
    try {
      const results = await write(batch.map((p) => p.row));
      batch.forEach((p, i) => p.resolve(results[i] as R));
    } catch (error) {
      // A busy database is not one bad row: written alone, each row would wait out the busy timeout again (on
      // SQLite, with the process blocked meanwhile). The batch's callers get the busy error and may retry.
      if (retryAlone && batch.length > 1 && !isDatabaseBusy(error)) {
        for (const p of batch) void writeAlone(p);
      } else {
        for (const p of batch) p.reject(error);
      }
    } finally {
      writing -= 1;
      // Rows that arrived while this batch was written have waited already: write them now.
      if (queue.length > 0) flush();
    }
  }

  async function writeAlone(p: Pending<T, R>): Promise<void> {
    try {
      p.resolve((await write([p.row]))[0] as R);
    } catch (error) {
      p.reject(error);
    }
  }

  return (row: T) =>
    new Promise<R>((resolve, reject) => {
      queue.push({ row, resolve, reject });
      schedule();
    });
}
