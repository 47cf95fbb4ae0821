import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  currentNotice,
  forgetStaleNotice,
  queuedUndoDeadline,
  showNotice,
  type Notice,
} from "@/components/compose/send-notices";

describe("queuedUndoDeadline: a queued message's Undo follows the user's undo window", () => {
  afterEach(() => vi.useRealTimers());

  it.each([5, 10, 30])("%i s from now", (seconds) => {
    vi.useFakeTimers({ now: 1_000_000 });
    expect(queuedUndoDeadline(seconds)).toBe(1_000_000 + seconds * 1000);
  });

  it("no window, no Undo", () => {
    expect(queuedUndoDeadline(0)).toBeUndefined();
  });
});

describe("the notice kept for this tab", () => {
  beforeEach(() => {
    const items = new Map<string, string>();
    vi.stubGlobal("sessionStorage", {
      getItem: (key: string) => items.get(key) ?? null,
      setItem: (key: string, value: string) => void items.set(key, value),
      removeItem: (key: string) => void items.delete(key),
    });
    vi.useFakeTimers({ now: 1_000_000 });
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  const queued: Notice = { kind: "queued", reason: "offline", key: "k1", undoUntil: 1_010_000 };

  it("stays while Compose starts over, and is dismissed on request", () => {
    showNotice(queued);
    expect(currentNotice()).toEqual(queued);
    vi.setSystemTime(1_030_000);
    forgetStaleNotice();
    expect(currentNotice()).toEqual(queued);
    showNotice(null);
    expect(currentNotice()).toBeNull();
  });

  it("is not brought back once its Undo window and half a minute more have passed", () => {
    showNotice(queued);
    vi.setSystemTime(1_041_000);
    forgetStaleNotice();
    expect(currentNotice()).toBeNull();
  });
});
