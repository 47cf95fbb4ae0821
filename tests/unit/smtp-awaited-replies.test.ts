import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { AwaitedReplies, type ReplyWait } from "@/lib/mail/smtp-awaited-replies";

const limits = { greeting: 3_000, command: 1_000, final: 10_000 };
const ok = { code: 250, text: "250 Ok" };

describe("AwaitedReplies: each reply has its own time limit", () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "performance"] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  function queue() {
    const timeouts: { wait: ReplyWait; limit: number; at: number }[] = [];
    const unexpected: unknown[] = [];
    const replies = new AwaitedReplies(
      limits,
      (wait, limit) => timeouts.push({ wait, limit, at: performance.now() }),
      (reply) => unexpected.push(reply),
    );
    return { replies, timeouts, unexpected };
  }

  it.each([
    ["greeting", 3_000],
    ["command", 1_000],
    ["final", 10_000],
  ] as const)("a %s reply that never comes times out after its own limit (%i ms)", (wait, limit) => {
    const { replies, timeouts } = queue();
    replies.expect(() => undefined, wait);
    vi.advanceTimersByTime(limit - 1);
    expect(timeouts).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(timeouts).toEqual([{ wait, limit, at: limit }]);
  });

  it("a slow final reply within its limit is not a command timeout", () => {
    const { replies, timeouts } = queue();
    const got: string[] = [];
    replies.expect(() => got.push("final"), "final");
    vi.advanceTimersByTime(9_000);
    replies.dispatch(ok);
    expect(got).toEqual(["final"]);
    vi.advanceTimersByTime(60_000);
    expect(timeouts).toEqual([]);
  });

  it("a command waiting behind a final reply is held to the command limit from when it reached the head", () => {
    const { replies, timeouts } = queue();
    replies.expect(() => undefined, "final");
    replies.expect(() => undefined, "command");
    vi.advanceTimersByTime(5_000);
    replies.dispatch(ok); // the final reply, after 5 s: now the command's wait starts
    vi.advanceTimersByTime(999);
    expect(timeouts).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(timeouts).toEqual([{ wait: "command", limit: 1_000, at: 6_000 }]);
  });

  it("replies go to their waiters in order; one nobody waited for is reported", () => {
    const { replies, unexpected } = queue();
    const got: number[] = [];
    replies.expect((r) => got.push(r.code));
    replies.expect((r) => got.push(r.code));
    replies.dispatch({ code: 250, text: "250 a" });
    replies.dispatch({ code: 354, text: "354 b" });
    replies.dispatch({ code: 421, text: "421 bye" });
    expect(got).toEqual([250, 354]);
    expect(unexpected).toEqual([{ code: 421, text: "421 bye" }]);
  });

  it("stopped: no timeout fires afterwards", () => {
    const { replies, timeouts } = queue();
    replies.expect(() => undefined, "command");
    replies.stop();
    vi.advanceTimersByTime(60_000);
    expect(timeouts).toEqual([]);
  });
});
