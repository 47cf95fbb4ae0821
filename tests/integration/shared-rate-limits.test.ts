import net from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import { RateLimiter } from "@/lib/rate-limit/limiter";
import { DatabaseRateStore, RedisRateStore } from "@/lib/rate-limit/shared-stores";

// Two limiters with their own store connections stand for two server processes: the limit must hold across
// them, because the count lives in the shared store.
const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
const redisUp = await reachable(REDIS_URL);
if (!redisUp)
  console.log(`Redis rate-limit test skipped: nothing answers at ${REDIS_URL} (set TEST_REDIS_URL).`);

const opened: RedisRateStore[] = [];
afterAll(() => opened.forEach((s) => s.close()));

async function twoProcesses(makeStore: () => RedisRateStore | DatabaseRateStore, limit: number) {
  const name = `shared-${Date.now()}-${Math.random()}`;
  return [
    new RateLimiter(name, limit, 60_000, makeStore()),
    new RateLimiter(name, limit, 60_000, makeStore()),
  ];
}

async function expectSharedLimit(a: RateLimiter, b: RateLimiter) {
  const results = [];
  for (let i = 0; i < 6; i++) results.push((await (i % 2 ? a : b).consume("user-1")).allowed);
  expect(results).toEqual([true, true, true, true, false, false]);
  const refused = await a.consume("user-1");
  expect(refused.retryAfterSeconds).toBeGreaterThan(50);
  expect((await b.consume("user-2")).allowed).toBe(true);
  await a.reset("user-1");
  expect((await b.consume("user-1")).allowed).toBe(true);
}

describe("rate limits shared across processes", () => {
  it("hold across two processes through the database", async () => {
    const [a, b] = await twoProcesses(() => new DatabaseRateStore(), 4);
    await expectSharedLimit(a!, b!);
  });

  it.runIf(redisUp)("hold across two processes through Redis", async () => {
    const [a, b] = await twoProcesses(() => {
      const store = new RedisRateStore(REDIS_URL);
      opened.push(store);
      return store;
    }, 4);
    await expectSharedLimit(a!, b!);
  });
});

function reachable(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port || 6379), timeout: 1000 });
    socket.once("connect", () => (socket.destroy(), resolve(true)));
    socket.once("error", () => resolve(false));
    socket.once("timeout", () => (socket.destroy(), resolve(false)));
  });
}
