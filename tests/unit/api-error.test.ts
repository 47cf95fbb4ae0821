import { describe, expect, it, vi } from "vitest";

describe("ApiError across module copies", () => {
  it("an ApiError from another copy of the module is still one, and keeps its status", async () => {
    const first = await import("@/lib/api/errors");
    vi.resetModules();
    const second = await import("@/lib/api/errors");
    expect(second.ApiError).not.toBe(first.ApiError);
    const error = new first.ApiError("rate_limited", "Slow down.", { retryAfterSeconds: 5 });
    expect(error instanceof second.ApiError).toBe(true);
    const response = second.toErrorResponse(error);
    expect(response.status).toBe(429);
    expect(response.headers.get("retry-after")).toBe("5");
    expect(new Error("x") instanceof second.ApiError).toBe(false);
  });
});
