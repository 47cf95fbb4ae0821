import { expect, test } from "@playwright/test";

// The production server gzips responses; a JSON answer under 1 KB is sent as it is (gzip costs the server more
// than it saves there), larger ones are still compressed (lib/api/small-json.ts).
test("small JSON answers go out uncompressed, large ones gzipped", async ({ request }) => {
  const gzip = { "accept-encoding": "gzip" };

  const health = await request.get("/api/health", { headers: gzip });
  expect(health.status()).toBe(200);
  expect(health.headers()["content-encoding"]).toBeUndefined();
  expect(health.headers()["cache-control"]).toContain("no-transform");
  expect(await health.json()).toEqual({ status: "ok" });

  // An error answer (no session) through the API's wrapper.
  const refused = await request.get("/api/senders", { headers: gzip });
  expect(refused.status()).toBe(401);
  expect(refused.headers()["content-encoding"]).toBeUndefined();
  expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("unauthorized");

  // The OpenAPI document is tens of KB: still compressed, and its own caching rule kept.
  const spec = await request.get("/api/v1/openapi.json", { headers: gzip });
  expect(spec.status()).toBe(200);
  expect(spec.headers()["content-encoding"]).toBe("gzip");
  expect(spec.headers()["cache-control"]).toBe("public, max-age=300");
  expect(((await spec.json()) as { openapi: string }).openapi).toMatch(/^3\./);
});
