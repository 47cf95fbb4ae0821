import { describe, expect, it } from "vitest";
import { newTimeOrderedId } from "@/lib/db/ids";

describe("newTimeOrderedId", () => {
  it("makes RFC 9562 version-7 UUIDs", () => {
    expect(newTimeOrderedId()).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });

  it("sorts in creation order, also within one millisecond and across a clock step back", () => {
    const t = Date.now() + 10_000;
    const ids = [
      ...Array.from({ length: 5000 }, () => newTimeOrderedId(t)),
      newTimeOrderedId(t - 5), // the clock stepped back: still after the previous ids
      newTimeOrderedId(t + 20),
    ];
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("encodes the millisecond timestamp in its first 48 bits", () => {
    const t = Date.now() + 60_000;
    const id = newTimeOrderedId(t);
    expect(parseInt(id.replace(/-/g, "").slice(0, 12), 16)).toBe(t);
  });
});
