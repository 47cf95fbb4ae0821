import { describe, expect, it, vi } from "vitest";

describe("processSingleton", () => {
  it("makes the value once, also for a second copy of the module", async () => {
    const first = await import("@/lib/server/singleton");
    const create = vi.fn(() => ({ made: Date.now() }));
    const value = first.processSingleton("test.once", create);
    vi.resetModules();
    const second = await import("@/lib/server/singleton");
    expect(second).not.toBe(first);
    expect(second.processSingleton("test.once", create)).toBe(value);
    expect(create).toHaveBeenCalledTimes(1);
  });

  it("keeps different names apart, and keeps a falsy value without making it again", async () => {
    const { processSingleton } = await import("@/lib/server/singleton");
    expect(processSingleton("test.a", () => 1)).toBe(1);
    expect(processSingleton("test.b", () => 2)).toBe(2);
    const create = vi.fn(() => undefined);
    processSingleton("test.empty", create);
    processSingleton("test.empty", create);
    expect(create).toHaveBeenCalledTimes(1);
  });
});
