import { beforeAll, describe, expect, it, vi } from "vitest";

vi.hoisted(() => {
  // Every key created checks the password; the password limit itself is tested in its own file.
  process.env.PASSWORD_RATE_LIMIT = "1000";
});

import { db } from "@/lib/db/client";
import { signUpUser, type TestUser } from "@/tests/support/api";
import { callV1, createTestKey } from "@/tests/support/api-v1";

// /api/v1's templates and campaigns: every request and answer checked against the OpenAPI document by callV1,
// the scopes they need, and one account's key never reaching another's.

let alice: TestUser;
let key: string;
let senderId: string;

beforeAll(async () => {
  alice = await signUpUser("Merge API");
  key = (await createTestKey(alice, { scopes: ["templates:manage", "campaigns:manage"] })).key;
  senderId = (await db.sender.findFirstOrThrow({ where: { userId: alice.id } })).id;
});

const CSV = "email,First name\nann@example.com,Ann\nbob@example.com,Bob\nnot-an-address,Zed\n";

describe("/api/v1 templates and campaigns", { timeout: 30_000 }, () => {
  it("manages templates: create, list, read, change, delete", async () => {
    const created = await callV1(key, "POST", "/templates", {
      json: { name: "Welcome", subject: "Hi {{ first_name }}", html: "<p>Dear {{ first_name }}</p>" },
    });
    expect(created.status).toBe(201);
    const template = (created.body as { template: { id: string; variables: string[] } }).template;
    expect(template.variables).toEqual(["first_name"]);
    const id = template.id;

    expect((await callV1(key, "GET", "/templates")).body).toMatchObject({ templates: [{ id }] });
    expect((await callV1(key, "GET", "/templates/{id}", { params: { id } })).status).toBe(200);
    const renamed = await callV1(key, "PATCH", "/templates/{id}", {
      params: { id },
      json: { name: "Hello" },
    });
    expect(renamed.body).toMatchObject({ template: { id, name: "Hello" } });
    const bad = await callV1(key, "POST", "/templates", { json: { name: "" }, skipRequestCheck: true });
    expect(bad.status).toBe(400);
    expect((bad.body as { error: { fields: Record<string, unknown> } }).error.fields.name).toBeDefined();
    expect((await callV1(key, "DELETE", "/templates/{id}", { params: { id } })).status).toBe(204);
    expect((await callV1(key, "GET", "/templates/{id}", { params: { id } })).status).toBe(404);
  });

  it("imports a CSV as a campaign, fills it from a template, starts, pauses, resumes and cancels it", async () => {
    const template = await callV1(key, "POST", "/templates", {
      json: { name: "Merge", subject: "News for {{ first_name }}", html: "<p>{{ first_name }}</p>" },
    });
    const templateId = (template.body as { template: { id: string } }).template.id;

    const notCsv = await callV1(key, "POST", "/campaigns", { json: { csv: CSV }, skipRequestCheck: true });
    expect(notCsv.status).toBe(415);
    const imported = await callV1(key, "POST", "/campaigns", {
      rawBody: CSV,
      query: "?name=Spring",
      headers: { "content-type": "text/csv" },
    });
    expect(imported.status).toBe(201);
    const body = imported.body as {
      campaign: { id: string; name: string; status: string };
      report: { valid: number; invalid: unknown[] };
    };
    expect(body.campaign).toMatchObject({ name: "Spring", status: "draft" });
    expect(body.report).toMatchObject({ valid: 2, invalid: [{ value: "not-an-address" }] });
    const id = body.campaign.id;

    const patched = await callV1(key, "PATCH", "/campaigns/{id}", {
      params: { id },
      json: { senderId, templateId },
    });
    expect(patched.body).toMatchObject({ campaign: { subject: "News for {{ first_name }}", senderId } });
    expect((await callV1(key, "GET", "/campaigns")).body).toMatchObject({ campaigns: [{ id }] });
    expect((await callV1(key, "GET", "/campaigns/{id}", { params: { id } })).body).toMatchObject({
      campaign: { id, counts: { total: 3 } },
      report: { valid: 2 },
    });

    // Scheduled a day ahead, so nothing is sent while the test changes its state.
    const startAt = new Date(Date.now() + 86_400_000).toISOString();
    const started = await callV1(key, "POST", "/campaigns/{id}/start", { params: { id }, json: { startAt } });
    expect(started.body).toMatchObject({ campaign: { status: "running", startAt } });
    expect((await callV1(key, "POST", "/campaigns/{id}/start", { params: { id } })).status).toBe(409);
    expect((await callV1(key, "DELETE", "/campaigns/{id}", { params: { id } })).status).toBe(409);
    const paused = await callV1(key, "POST", "/campaigns/{id}/pause", { params: { id } });
    expect(paused.body).toMatchObject({ campaign: { status: "paused" } });
    const resumed = await callV1(key, "POST", "/campaigns/{id}/resume", { params: { id } });
    expect(resumed.body).toMatchObject({ campaign: { status: "running" } });
    const cancelled = await callV1(key, "POST", "/campaigns/{id}/cancel", { params: { id } });
    expect(cancelled.body).toMatchObject({ campaign: { status: "cancelled" } });
    expect((await callV1(key, "DELETE", "/campaigns/{id}", { params: { id } })).status).toBe(204);
  });

  it("needs the scope, and never reaches another account's templates or campaigns", async () => {
    const sendOnly = (await createTestKey(alice, { scopes: ["messages:send"] })).key;
    expect((await callV1(sendOnly, "GET", "/templates")).status).toBe(403);
    expect((await callV1(sendOnly, "GET", "/campaigns")).status).toBe(403);

    const template = await callV1(key, "POST", "/templates", { json: { name: "Private" } });
    const templateId = (template.body as { template: { id: string } }).template.id;
    const imported = await callV1(key, "POST", "/campaigns", {
      rawBody: CSV,
      headers: { "content-type": "text/csv" },
    });
    const campaignId = (imported.body as { campaign: { id: string } }).campaign.id;

    const bob = await signUpUser("Merge API stranger");
    const bobKey = (await createTestKey(bob)).key;
    expect((await callV1(bobKey, "GET", "/templates/{id}", { params: { id: templateId } })).status).toBe(404);
    expect(
      (await callV1(bobKey, "PATCH", "/templates/{id}", { params: { id: templateId }, json: { name: "x" } }))
        .status,
    ).toBe(404);
    expect((await callV1(bobKey, "GET", "/campaigns/{id}", { params: { id: campaignId } })).status).toBe(404);
    expect(
      (await callV1(bobKey, "POST", "/campaigns/{id}/start", { params: { id: campaignId } })).status,
    ).toBe(404);
    expect((await callV1(bobKey, "DELETE", "/campaigns/{id}", { params: { id: campaignId } })).status).toBe(
      404,
    );
    expect((await callV1(bobKey, "GET", "/campaigns")).body).toEqual({ campaigns: [] });
  });
});
