// The OpenAPI document of /api/v1 is valid, and it and the route files on disk describe the same API.
import { Validator } from "@seriousme/openapi-schema-validator";
import { describe, expect, it } from "vitest";
import { GET as serveDocument } from "@/app/api/v1/openapi.json/route";
import { openApiDocument, v1Operations } from "@/lib/api-v1/openapi";
import { WEBHOOK_EVENT_TYPES } from "@/lib/webhooks/event-types";
import { callRoute } from "@/tests/support/api";
import { discoverApiRoutes } from "@/tests/support/routes";

const onDisk = discoverApiRoutes()
  .filter((r) => r.path.startsWith("/api/v1/") && r.path !== "/api/v1/openapi.json")
  .map((r) => `${r.method} ${r.path.replace(/^\/api\/v1/, "").replace(/\[(\w+)\]/g, "{$1}")}`)
  .sort();

describe("OpenAPI document", () => {
  it("is a valid OpenAPI 3.1 document (per @seriousme/openapi-schema-validator)", async () => {
    const result = await new Validator().validate(openApiDocument() as Parameters<Validator["validate"]>[0]);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it("has an operation for every route file under app/api/v1, and none for a route that is not there", () => {
    const documented = Object.entries(openApiDocument().paths as Record<string, Record<string, unknown>>)
      .flatMap(([path, ops]) => Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`))
      .sort();
    expect(onDisk.length).toBeGreaterThan(10);
    expect(documented).toEqual(onDisk);
    expect(new Set(v1Operations.map((op) => op.operationId)).size).toBe(v1Operations.length);
  });

  it("describes every event under webhooks, and is served at /api/v1/openapi.json without a key", async () => {
    const res = await callRoute(serveDocument, { path: "/api/v1/openapi.json" });
    expect(res.status).toBe(200);
    const served = (await res.json()) as { openapi: string; webhooks: Record<string, unknown> };
    expect(served.openapi).toBe("3.1.0");
    expect(Object.keys(served.webhooks).sort()).toEqual([...WEBHOOK_EVENT_TYPES].sort());
  });
});
