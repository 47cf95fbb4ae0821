import { describe, expect, it } from "vitest";
import { rememberRecent } from "@/lib/cache/recent-results";

function counted(limit?: number, maxInputLength?: number) {
  const calls: string[] = [];
  const f = rememberRecent(
    (input: string) => {
      calls.push(input);
      return input.toUpperCase();
    },
    { limit, maxInputLength },
  );
  return { f, calls };
}

describe("rememberRecent", () => {
  it("computes an input once while it is recent", () => {
    const { f, calls } = counted();
    expect([f("a"), f("a"), f("b"), f("a")]).toEqual(["A", "A", "B", "A"]);
    expect(calls).toEqual(["a", "b"]);
  });

  it("lets the oldest input go past the limit", () => {
    const { f, calls } = counted(2);
    f("a");
    f("b");
    f("c");
    f("a");
    expect(calls).toEqual(["a", "b", "c", "a"]);
  });

  it("never keeps inputs longer than the bound", () => {
    const { f, calls } = counted(64, 3);
    f("long");
    f("long");
    expect(calls).toEqual(["long", "long"]);
  });

  it("keeps a falsy result", () => {
    let n = 0;
    const f = rememberRecent(() => {
      n += 1;
      return false;
    });
    f("x");
    f("x");
    expect(n).toBe(1);
  });

  it("keeps nothing when the computation throws", () => {
    let n = 0;
    const f = rememberRecent(() => {
      n += 1;
      throw new RangeError("Maximum call stack size exceeded");
    });
    expect(() => f("x")).toThrow(RangeError);
    expect(() => f("x")).toThrow(RangeError);
    expect(n).toBe(2);
  });
});
