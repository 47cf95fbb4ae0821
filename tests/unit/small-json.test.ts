import { describe, expect, it } from "vitest";
import { jsonResponse, SMALL_BODY_BYTES, withSmallJsonUncompressed } from "@/lib/api/small-json";

describe("small JSON answers are marked to go out uncompressed", () => {
  it("marks a small Response.json answer and keeps its status, headers and body", async () => {
    const original = Response.json({ ok: true }, { status: 202, headers: { "x-extra": "1" } });
    const out = await withSmallJsonUncompressed(original);
    expect(out.status).toBe(202);
    expect(out.headers.get("x-extra")).toBe("1");
    expect(out.headers.get("cache-control")).toBe("no-transform");
    expect(await out.json()).toEqual({ ok: true });
  });

  it("adds no-transform to a Cache-Control the route set, once", async () => {
    const stored = await withSmallJsonUncompressed(
      Response.json({ a: 1 }, { headers: { "Cache-Control": "no-store" } }),
    );
    expect(stored.headers.get("cache-control")).toBe("no-store, no-transform");
    const already = await withSmallJsonUncompressed(
      Response.json({ a: 1 }, { headers: { "Cache-Control": "no-cache, no-transform" } }),
    );
    expect(already.headers.get("cache-control")).toBe("no-cache, no-transform");
  });

  it("leaves a JSON answer of 1 KB or more to be compressed", async () => {
    const big = { items: "x".repeat(SMALL_BODY_BYTES) };
    const out = await withSmallJsonUncompressed(
      Response.json(big, { headers: { "Cache-Control": "public, max-age=300" } }),
    );
    expect(out.headers.get("cache-control")).toBe("public, max-age=300");
    expect(await out.json()).toEqual(big);
    expect(jsonResponse(big).headers.get("cache-control")).toBeNull();
  });

  it("passes streams, other types and empty bodies through untouched", async () => {
    const events = new Response(new ReadableStream({ start: (c) => c.close() }), {
      headers: { "content-type": "text/event-stream" },
    });
    expect(await withSmallJsonUncompressed(events)).toBe(events);
    const empty = new Response(null, { status: 204 });
    expect(await withSmallJsonUncompressed(empty)).toBe(empty);
    const redirect = Response.redirect("https://example.com/", 303);
    expect(await withSmallJsonUncompressed(redirect)).toBe(redirect);
  });

  it("jsonResponse gives the JSON type and marks a small body", async () => {
    const res = jsonResponse({ status: "ok" }, { status: 200 });
    expect(res.headers.get("content-type")).toBe("application/json");
    expect(res.headers.get("cache-control")).toBe("no-transform");
    expect(await res.json()).toEqual({ status: "ok" });
  });
});
