import { describe, expect, it } from "vitest";
import { TtlCache } from "@/lib/cache/ttl-cache";

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe("TtlCache.getOrLoad", () => {
  it("runs one load for callers that ask while it is under way, and keeps its answer until the TTL", async () => {
    let now = 1_000;
    const cache = new TtlCache<string>(5_000, 100, () => now);
    const gate = deferred<string>();
    let loads = 0;
    const load = () => {
      loads++;
      return gate.promise;
    };
    const waiting = Array.from({ length: 50 }, () => cache.getOrLoad("session", load));
    gate.resolve("alice");
    expect(await Promise.all(waiting)).toEqual(Array(50).fill("alice"));
    expect(loads).toBe(1);

    expect(await cache.getOrLoad("session", async () => "changed")).toBe("alice");
    now += 5_000;
    expect(await cache.getOrLoad("session", async () => "changed")).toBe("changed");
  });

  it("does not keep a load that was under way when entries were deleted (a revoked session stays revoked)", async () => {
    const cache = new TtlCache<string>(5_000);
    const stale = deferred<string>();
    const before = cache.getOrLoad("session", () => stale.promise);
    cache.deleteWhere(() => true);
    // A caller after the delete does not join the old load.
    const after = cache.getOrLoad("session", async () => null);
    stale.resolve("alice");
    expect(await before).toBe("alice");
    expect(await after).toBeNull();
    expect(cache.get("session")).toBeUndefined();
    expect(await cache.getOrLoad("session", async () => null)).toBeNull();
  });

  it("keeps no null answer and shares a failed load's error with its callers only", async () => {
    const cache = new TtlCache<string>(5_000);
    let loads = 0;
    expect(await cache.getOrLoad("missing", async () => (loads++, null))).toBeNull();
    expect(await cache.getOrLoad("missing", async () => (loads++, null))).toBeNull();
    expect(loads).toBe(2);
    const failing = () => Promise.reject(new Error("database down"));
    await expect(Promise.all([cache.getOrLoad("k", failing), cache.getOrLoad("k", failing)])).rejects.toThrow(
      "database down",
    );
    expect(await cache.getOrLoad("k", async () => "back")).toBe("back");
  });
});
