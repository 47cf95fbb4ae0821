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

describe("a database that did not take the work in time", () => {
  const adapterError = (kind: string) => ({
    code: "P2010",
    meta: { driverAdapterError: { name: "DriverAdapterError", cause: { kind } } },
  });

  it.each([
    ["an operation timed out (SQLite busy)", { code: "P1008" }],
    ["no pooled connection in time", { code: "P2024" }],
    ["a transaction that could not start in time", { code: "P2028" }],
    ["a write conflict or deadlock", { code: "P2034" }],
    ["a raw query refused as busy", adapterError("SocketTimeout")],
    ["a raw query with no connection to spare", adapterError("TooManyConnections")],
  ])("%s is answered 503 busy with Retry-After", async (_, error) => {
    const { isDatabaseBusy } = await import("@/lib/db/errors");
    const { toErrorResponse } = await import("@/lib/api/errors");
    expect(isDatabaseBusy(error)).toBe(true);
    const response = toErrorResponse(error);
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe("1");
    expect(await response.json()).toEqual({
      error: { code: "busy", message: "The server is busy right now. Try again in a moment." },
    });
  });

  it.each([
    ["a unique violation", { code: "P2002" }],
    ["a raw query's unique violation", adapterError("UniqueConstraintViolation")],
    ["a plain error", new Error("boom")],
    ["nothing", null],
  ])("%s is not", async (_, error) => {
    const { isDatabaseBusy } = await import("@/lib/db/errors");
    expect(isDatabaseBusy(error)).toBe(false);
  });
});
