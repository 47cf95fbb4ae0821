import { describe, expect, it } from "vitest";
import { SenderCapacity } from "@/lib/delivery/sender-capacity";
import type { SenderLimits } from "@/lib/delivery/sender-limits";

// Each sender's share of the worker: half of what is free plus what it already holds. However many senders stall
// holding their share, the worker always has room left for the next one. And each sender's window: a few
// messages per connection at first, more as its server accepts them.
const wide: SenderLimits = { maxConnections: 250, maxPerSecond: null, maxPerDay: null }; // window 1,000 at start
const capacity = () => new SenderCapacity(async () => 0);

describe("a sender's share of the worker", () => {
  it.each([
    // free slots, free chars → messages and characters a sender holding nothing may take
    { freeSlots: 1000, freeChars: 2_000_000, count: 500, chars: 1_000_000 },
    { freeSlots: 500, freeChars: 1_000_000, count: 250, chars: 500_000 },
    { freeSlots: 3, freeChars: 100, count: 1, chars: 50 },
    { freeSlots: 1, freeChars: 100, count: 0, chars: 0 },
    { freeSlots: 10, freeChars: 1, count: 0, chars: 0 },
    // A worker holding nothing at all, with one slot (DELIVERY_MAX_IN_FLIGHT=1): the slot is used.
    { freeSlots: 1, freeChars: 100, idle: true, count: 1, chars: 50 },
  ])(
    "with $freeSlots slots and $freeChars characters free: $count messages, $chars characters",
    async (room) => {
      const { count, chars } = await capacity().available("a", wide, room);
      expect({ count, chars }).toEqual({ count: room.count, chars: room.chars });
    },
  );

  it("stalled senders each keep half of what was left: the next sender still gets room", async () => {
    const c = capacity();
    let free = { freeSlots: 1000, freeChars: 2_000_000 };
    const took: number[] = [];
    for (const sender of ["a", "b", "c", "d"]) {
      const { count, chars } = await c.available(sender, wide, free);
      c.take(sender, count, chars);
      took.push(count);
      free = { freeSlots: free.freeSlots - count, freeChars: free.freeChars - chars };
    }
    expect(took).toEqual([500, 250, 125, 62]);
    // A sender at its share gets nothing more until its own messages settle: its trouble stays its own.
    expect(await c.available("a", wide, free)).toEqual({ count: 0, chars: 0 });
    // Once most of them settled, it gets room again (in a batch, not one by one).
    for (let i = 0; i < 450; i++) c.release("a", 2000, true, wide);
    const settled = { freeSlots: free.freeSlots + 450, freeChars: free.freeChars + 900_000 };
    expect((await c.available("a", wide, settled)).count).toBeGreaterThan(0);
  });
});

describe("a sender's window", () => {
  const five: SenderLimits = { maxConnections: 5, maxPerSecond: null, maxPerDay: null };
  const roomy = { freeSlots: 10_000, freeChars: 1e9 };

  it("starts at four messages per connection and grows by one for each message its server accepts, up to its pool", async () => {
    const c = capacity();
    expect((await c.available("a", five, roomy)).count).toBe(20);
    for (let i = 0; i < 20; i++) c.release("a", 0, true, five);
    expect((await c.available("a", five, roomy)).count).toBe(40);
    for (let i = 0; i < 5000; i++) c.release("a", 0, true, five);
    expect((await c.available("a", five, roomy)).count).toBe(1000); // 5 connections × 200
  });

  it("is halved by messages that do not go through, never below where it started", async () => {
    const c = capacity();
    for (let i = 0; i < 80; i++) c.release("a", 0, true, five);
    expect((await c.available("a", five, roomy)).count).toBe(100);
    c.release("a", 0, false, five);
    expect((await c.available("a", five, roomy)).count).toBe(50);
    for (let i = 0; i < 10; i++) c.release("a", 0, false, five);
    expect((await c.available("a", five, roomy)).count).toBe(20);
  });
});
