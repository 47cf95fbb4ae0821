import { describe, expect, it } from "vitest";
import { groupCommit } from "@/lib/db/group-commit";

// The one group-commit batcher of the send path (lib/messages/insert-batcher.ts) and of delivery outcomes
// (lib/delivery/store.ts), on a fake write that records its batches.
function recorder(fail: (rows: number[]) => boolean = () => false) {
  const batches: number[][] = [];
  let writing = 0;
  let mostAtOnce = 0;
  const write = async (rows: number[]) => {
    batches.push(rows);
    writing += 1;
    mostAtOnce = Math.max(mostAtOnce, writing);
    await new Promise((r) => setTimeout(r, 5));
    writing -= 1;
    if (fail(rows)) throw new Error(`bad batch ${rows.join(",")}`);
    return rows.map((n) => n * 10);
  };
  return { batches, write, mostAtOnce: () => mostAtOnce };
}

describe("group commit", () => {
  it.each([
    ["same turn of the event loop", 0],
    ["a few milliseconds", 3],
  ])(
    "rows that arrive within %s go in one batch, each caller getting its own result",
    async (_, gatherMs) => {
      const r = recorder();
      const add = groupCommit({ maxBatch: 100, gatherMs, maxWritesAtOnce: 1, write: r.write });
      expect(await Promise.all([1, 2, 3].map(add))).toEqual([10, 20, 30]);
      expect(r.batches).toEqual([[1, 2, 3]]);
    },
  );

  it("splits at maxBatch, and rows arriving during a write wait for it when one write at a time is allowed", async () => {
    const r = recorder();
    const add = groupCommit({ maxBatch: 2, gatherMs: 0, maxWritesAtOnce: 1, write: r.write });
    const first = Promise.all([1, 2, 3, 4, 5].map(add));
    await new Promise((resolve) => setTimeout(resolve, 1));
    const late = add(6);
    expect(await first).toEqual([10, 20, 30, 40, 50]);
    expect(await late).toBe(60);
    expect(r.batches.every((b) => b.length <= 2)).toBe(true);
    expect(r.batches.flat().sort()).toEqual([1, 2, 3, 4, 5, 6]);
    expect(r.mostAtOnce()).toBe(1);
  });

  it("writes several batches at once when allowed", async () => {
    const r = recorder();
    const add = groupCommit({ maxBatch: 2, gatherMs: 0, maxWritesAtOnce: Infinity, write: r.write });
    await Promise.all([1, 2, 3, 4, 5, 6].map(add));
    expect(r.batches).toEqual([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    expect(r.mostAtOnce()).toBe(3);
  });

  it.each([
    [false, ["bad", "bad", "bad"]],
    [true, [20, "bad", 60]],
  ])("a failed batch (retryAlone: %s) fails its rows, or only the bad one", async (retryAlone, expected) => {
    const r = recorder((rows) => rows.includes(4));
    const add = groupCommit({ maxBatch: 10, gatherMs: 0, maxWritesAtOnce: 1, write: r.write, retryAlone });
    const results = await Promise.all([2, 4, 6].map((n) => add(n).catch(() => "bad")));
    expect(results).toEqual(expected);
  });

  it("a batch refused because the database is busy fails its rows at once, without writing each alone", async () => {
    const batches: number[][] = [];
    const busy = Object.assign(new Error("database is locked"), { code: "P1008" });
    const add = groupCommit<number, number>({
      maxBatch: 10,
      gatherMs: 0,
      maxWritesAtOnce: 1,
      retryAlone: true,
      write: async (rows) => {
        batches.push(rows);
        throw busy;
      },
    });
    const results = await Promise.all([2, 4, 6].map((n) => add(n).catch((error: unknown) => error)));
    // Each row alone would wait out the busy timeout again, one after the other, with the process blocked.
    expect(results).toEqual([busy, busy, busy]);
    expect(batches).toEqual([[2, 4, 6]]);
  });
});
