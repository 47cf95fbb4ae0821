// What anonymous callers learn from the probe and metrics routes (issue 21, item 12): metrics only with the
// token, or without one only on this machine; readiness says what failed but never the error's text.
import { afterEach, describe, expect, it, vi } from "vitest";

vi.hoisted(() => {
  delete process.env.METRICS_TOKEN;
});

import { GET as metricsRoute } from "@/app/api/metrics/route";
import { GET as readyRoute } from "@/app/api/ready/route";
import { db } from "@/lib/db/client";
import { describeMetricsAccess } from "@/lib/observability/metrics-endpoint";
import { callRoute, fromAddress } from "@/tests/support/api";

afterEach(() => vi.restoreAllMocks());

describe("metrics without METRICS_TOKEN", () => {
  it.each([
    ["127.0.0.1", 200],
    ["::1", 200],
    ["::ffff:127.0.0.1", 200],
    ["203.0.113.5", 403],
    ["10.0.0.7", 403],
    ["::ffff:203.0.113.5", 403],
  ])("from %s answers %i", async (address, status) => {
    const res = await callRoute(metricsRoute, { headers: fromAddress(address) });
    expect(res.status).toBe(status);
    if (status === 200) expect(await res.text()).toMatch(/^# HELP /m);
    else expect((await res.json()).error.message).toMatch(/METRICS_TOKEN/);
  });

  it("is refused when a remote client claims to be local in X-Forwarded-For", async () => {
    const res = await callRoute(metricsRoute, {
      headers: { "x-forwarded-for": "127.0.0.1, 203.0.113.5", "x-securevault-peer": "203.0.113.5" },
    });
    expect(res.status).toBe(403);
  });

  it("is refused when the client's address is unknown", async () => {
    expect((await callRoute(metricsRoute)).status).toBe(403);
  });

  it("is announced at start", () => {
    expect(describeMetricsAccess("/api/metrics")).toMatch(/METRICS_TOKEN is not set.*loopback/);
  });
});

describe("readiness", () => {
  it("names the failing check without the database's error text", async () => {
    const secret = "connect ECONNREFUSED 10.20.30.40:5432 for user vault_admin";
    vi.spyOn(db, "$queryRaw").mockRejectedValue(new Error(secret));
    const res = await callRoute(readyRoute);
    expect(res.status).toBe(503);
    const body = await res.json();
    expect(body.checks.database.status).toBe("fail");
    const text = JSON.stringify(body);
    expect(text).not.toMatch(/10\.20\.30\.40|vault_admin|ECONNREFUSED/);
  });
});
