import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

// Set before lib/env is read: this file checks the token-protected metrics endpoint.
vi.hoisted(() => {
  process.env.METRICS_TOKEN = "metrics-token-for-tests";
});

import { GET as metricsRoute } from "@/app/api/metrics/route";
import { GET as readyRoute } from "@/app/api/ready/route";
import { POST as createSender } from "@/app/api/senders/route";
import { startDeliveryWorker, type DeliveryWorker } from "@/lib/delivery/worker";
import { tapLogs } from "@/lib/log/logger";
import { closeAllPools } from "@/lib/mail/transport";
import { startSandboxSmtp, type RunningSandbox } from "@/lib/sandbox/smtp-server";
import { callRoute, enqueueTestMessage, signUpUser, type TestUser } from "@/tests/support/api";
import { parsePrometheusText, valueOf } from "@/tests/support/prometheus-text";
import { startTestSmtpServer, type TestSmtpServer } from "@/tests/support/smtp-test-server";

let user: TestUser;
let sandbox: RunningSandbox;
let smtp: TestSmtpServer;
let worker: DeliveryWorker | undefined;

beforeAll(async () => {
  user = await signUpUser("Olly");
  sandbox = await startSandboxSmtp({ host: "127.0.0.1", port: 0 });
  smtp = await startTestSmtpServer({ users: { "me@acme.test": "right-password" } });
});

afterAll(async () => {
  await worker?.stop();
  closeAllPools();
  await sandbox.close();
  await smtp.close();
});

async function scrape() {
  const res = await callRoute(metricsRoute, { headers: { authorization: "Bearer metrics-token-for-tests" } });
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/^text\/plain/);
  return parsePrometheusText(await res.text());
}

describe("readiness", () => {
  it("is not ready without a delivery worker, and says so; ready once it runs", async () => {
    const before = await callRoute(readyRoute);
    expect(before.status).toBe(503);
    const body = await before.json();
    expect(body.status).toBe("not_ready");
    expect(body.checks.database.status).toBe("ok");
    expect(body.checks.migrations).toMatchObject({ status: "ok" });
    expect(body.checks.sandbox.status).toBe("ok");
    expect(body.checks.worker).toMatchObject({
      status: "fail",
      detail: expect.stringContaining("no delivery worker"),
    });

    worker = startDeliveryWorker({ pollMs: 60_000, maxInFlight: 10 });
    await worker.drain();
    const after = await callRoute(readyRoute);
    expect(after.status).toBe(200);
    expect((await after.json()).status).toBe("ready");
  });
});

describe("metrics", () => {
  it("needs the bearer token when one is configured", async () => {
    expect((await callRoute(metricsRoute)).status).toBe(401);
    expect((await callRoute(metricsRoute, { headers: { authorization: "Bearer wrong" } })).status).toBe(401);
  });

  it("parses as Prometheus text, and its counters move when a message is sent", async () => {
    worker ??= startDeliveryWorker({ pollMs: 60_000, maxInFlight: 10 });
    const sandboxSender = (await import("@/lib/db/client")).db.sender.findFirstOrThrow({
      where: { userId: user.id },
    });
    const before = await scrape();
    expect(valueOf(before, "process_resident_memory_bytes")).toBeGreaterThan(0);

    await enqueueTestMessage(user, (await sandboxSender).id, { to: ["ann@example.com"], subject: "Counted" });
    await worker.drain();
    const after = await scrape();

    const delivered = { outcome: "delivered" };
    expect(valueOf(after, "securevault_deliveries_total", delivered)).toBe(
      valueOf(before, "securevault_deliveries_total", delivered) + 1,
    );
    expect(valueOf(after, "securevault_outbox_messages", { state: "sent" })).toBe(
      valueOf(before, "securevault_outbox_messages", { state: "sent" }) + 1,
    );
    const posted = { route: "/api/messages", method: "POST", status: "202" };
    expect(valueOf(after, "http_request_duration_seconds_count", posted)).toBe(
      valueOf(before, "http_request_duration_seconds_count", posted) + 1,
    );
    expect(
      valueOf(after, "securevault_smtp_send_duration_seconds_count", { result: "accepted" }),
    ).toBeGreaterThan(
      valueOf(before, "securevault_smtp_send_duration_seconds_count", { result: "accepted" }),
    );
  });
});

describe("logs", () => {
  it("carry the request id on every line of a request, and never a password, token or message content", async () => {
    worker ??= startDeliveryWorker({ pollMs: 60_000, maxInFlight: 10 });
    const lines: string[] = [];
    const untap = tapLogs((line) => lines.push(line));
    const { log } = await import("@/lib/log/logger");
    const previous = log.level;
    log.level = "debug";
    try {
      const created = await callRoute(createSender, {
        method: "POST",
        path: "/api/senders",
        user,
        headers: { "x-request-id": "req-observability-1" },
        json: {
          preset: "custom",
          fromEmail: "me@acme.test",
          host: "127.0.0.1",
          port: smtp.port,
          security: "none",
          password: "Wrong-Pa55word-Never-Logged",
        },
      });
      expect(created.headers.get("x-request-id")).toBe("req-observability-1");
      const senderId = (await created.json()).sender.id;
      await enqueueTestMessage(user, senderId, {
        to: ["bob@example.com"],
        subject: "Quarterly numbers",
        html: "<p>CONFIDENTIAL-BODY-TEXT</p>",
      });
      await worker.drain(); // fails with the wrong password: a warning is logged
      log.warn(
        { password: "p", smtpPassword: "q", nested: { apiKey: "k", html: "h" }, cookie: "c" },
        "probe",
      );
    } finally {
      log.level = previous;
      untap();
    }
    const all = lines.join("");
    const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(parsed.find((l) => l.reqId === "req-observability-1" && l.route === "/api/senders")).toMatchObject(
      {
        msg: "request",
        status: 201,
      },
    );
    expect(parsed.some((l) => l.msg === "delivery attempt failed")).toBe(true);
    for (const secret of ["Wrong-Pa55word-Never-Logged", "CONFIDENTIAL-BODY-TEXT", "Quarterly numbers"]) {
      expect(all).not.toContain(secret);
    }
    expect(parsed.find((l) => l.msg === "probe")).toMatchObject({
      password: "[redacted]",
      smtpPassword: "[redacted]",
      nested: { apiKey: "[redacted]", html: "[redacted]" },
      cookie: "[redacted]",
    });
  });
});
