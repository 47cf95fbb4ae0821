// Drafts on the server: revisions, conflicts (409, nothing overwritten), deletion, owner scoping and bad input.
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { DELETE as remove, GET as getOne, PUT as put } from "@/app/api/drafts/[id]/route";
import { GET as list } from "@/app/api/drafts/route";
import { draftView, MAX_DRAFT_BODY_BYTES } from "@/lib/validation/drafts";
import { callRoute, signUpUser, type TestUser } from "@/tests/support/api";

let owner: TestUser;
let other: TestUser;

beforeAll(async () => {
  owner = await signUpUser("Owner");
  other = await signUpUser("Other");
});

const save = (id: string, json: unknown, user = owner) =>
  callRoute(put, { method: "PUT", user, json, params: { id } });
const content = (subject: string) => ({
  senderId: "",
  to: [{ address: "alice@example.com", name: "Alice" }],
  cc: [],
  bcc: [],
  subject,
  html: `<p>${subject}</p>`,
});

describe("drafts API", () => {
  it("creates a draft at revision 1 and moves it on one revision per save", async () => {
    const id = randomUUID();
    const created = await save(id, { baseRevision: 0, ...content("First") });
    expect(created.status).toBe(201);
    const first = draftView.parse((await created.json()).draft);
    expect(first).toMatchObject({ id, revision: 1, subject: "First" });

    const updated = await save(id, { baseRevision: 1, ...content("Second") });
    expect(updated.status).toBe(200);
    expect(draftView.parse((await updated.json()).draft)).toMatchObject({ revision: 2, subject: "Second" });

    const got = await callRoute(getOne, { user: owner, params: { id } });
    expect((await got.json()).draft).toMatchObject({ revision: 2, html: "<p>Second</p>" });
    const listed = (await (await callRoute(list, { user: owner })).json()).drafts;
    expect(listed.map((d: { id: string }) => d.id)).toContain(id);
  });

  it("refuses a save based on a revision the server has moved past, and keeps the server's version", async () => {
    const id = randomUUID();
    await save(id, { baseRevision: 0, ...content("Start") });
    expect((await save(id, { baseRevision: 1, ...content("Phone") })).status).toBe(200);

    const stale = await save(id, { baseRevision: 1, ...content("Laptop") });
    expect(stale.status).toBe(409);
    const body = await stale.json();
    expect(body.error.code).toBe("conflict");
    expect(body.error.fields.baseRevision[0]).toContain("revision 2");
    const kept = (await (await callRoute(getOne, { user: owner, params: { id } })).json()).draft;
    expect(kept).toMatchObject({ revision: 2, subject: "Phone" });
  });

  it("answers a repeated save (its answer was lost) with the stored draft, not a conflict", async () => {
    const id = randomUUID();
    await save(id, { baseRevision: 0, ...content("Once") });
    const again = await save(id, { baseRevision: 0, ...content("Once") });
    expect(again.status).toBe(200);
    expect((await again.json()).draft.revision).toBe(1);
    expect((await save(id, { baseRevision: 0, ...content("Different") })).status).toBe(409);
  });

  it("lets exactly one of two saves on the same revision win", async () => {
    const id = randomUUID();
    await save(id, { baseRevision: 0, ...content("Base") });
    const results = await Promise.all([
      save(id, { baseRevision: 1, ...content("A") }),
      save(id, { baseRevision: 1, ...content("B") }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    expect((await (await callRoute(getOne, { user: owner, params: { id } })).json()).draft.revision).toBe(2);
  });

  it("deletes a draft; saving it again on its old revision is 404 (deleted or sent elsewhere)", async () => {
    const id = randomUUID();
    await save(id, { baseRevision: 0, ...content("Gone soon") });
    expect((await callRoute(remove, { method: "DELETE", user: owner, params: { id } })).status).toBe(204);
    expect((await callRoute(remove, { method: "DELETE", user: owner, params: { id } })).status).toBe(404);
    expect((await save(id, { baseRevision: 1, ...content("Edited offline") })).status).toBe(404);
    expect((await save(id, { baseRevision: 0, ...content("Edited offline") })).status).toBe(201);
  });

  it("keeps each user's drafts to themselves, even under the same id", async () => {
    const id = randomUUID();
    await save(id, { baseRevision: 0, ...content("Mine") });
    expect((await callRoute(getOne, { user: other, params: { id } })).status).toBe(404);
    expect((await save(id, { baseRevision: 1, ...content("Theirs") }, other)).status).toBe(404);
    expect((await callRoute(remove, { method: "DELETE", user: other, params: { id } })).status).toBe(404);
    const theirs = await save(id, { baseRevision: 0, ...content("Theirs") }, other);
    expect(theirs.status).toBe(201);
    const mine = (await (await callRoute(getOne, { user: owner, params: { id } })).json()).draft;
    expect(mine.subject).toBe("Mine");
    const otherList = (await (await callRoute(list, { user: other })).json()).drafts;
    expect(otherList.map((d: { subject: string }) => d.subject)).toEqual(["Theirs"]);
    expect((await callRoute(list, { user: null })).status).toBe(401);
  });

  it.each([
    ["a non-UUID id", "not-a-uuid", { baseRevision: 0 }, 400, "id"],
    ["a missing baseRevision", randomUUID(), { subject: "x" }, 400, "baseRevision"],
    ["a negative baseRevision", randomUUID(), { baseRevision: -1 }, 400, "baseRevision"],
    [
      "a subject with a line break",
      randomUUID(),
      { baseRevision: 0, subject: "a\r\nBcc: x" },
      400,
      "subject",
    ],
    [
      "too many recipients",
      randomUUID(),
      { baseRevision: 0, to: Array(101).fill({ address: "a@b.c" }) },
      400,
      "to",
    ],
    [
      "a body over the cap",
      randomUUID(),
      { baseRevision: 0, html: "x".repeat(MAX_DRAFT_BODY_BYTES + 1) },
      413,
      "html",
    ],
  ])("refuses %s with field errors", async (_label, id, json, status, field) => {
    const res = await save(id, json);
    expect(res.status).toBe(status);
    expect(Object.keys((await res.json()).error.fields)).toContain(field);
  });

  it("keeps a reply's quoted original, thread and files for the next device, and clears what a save leaves out", async () => {
    const id = randomUUID();
    const reply = {
      ...content("Re: contract"),
      quoteHtml: '<div class="sv-quote"><p>On Fri, Alice wrote:</p><blockquote>Sign?</blockquote></div>',
      quotedText: "Sign?",
      inReplyTo: "<b@example.com>",
      references: "<a@example.com> <b@example.com>",
      attachmentIds: ["att-1", "att-2"],
    };
    const created = await save(id, { baseRevision: 0, ...reply });
    expect(created.status).toBe(201);
    const got = draftView.parse(
      (await (await callRoute(getOne, { user: owner, params: { id } })).json()).draft,
    );
    expect(got).toMatchObject({
      quoteHtml: reply.quoteHtml,
      quotedText: "Sign?",
      inReplyTo: "<b@example.com>",
      references: "<a@example.com> <b@example.com>",
      attachmentIds: ["att-1", "att-2"],
    });
    expect(got.forwardOf).toBeUndefined();
    // The same save again (its answer lost) is no conflict; a changed file list is a change.
    expect((await save(id, { baseRevision: 0, ...reply })).status).toBe(200);
    const forward = await save(id, {
      baseRevision: 1,
      ...content("Fwd: contract"),
      forwardOf: "mailbox:abc123",
      attachmentIds: ["att-2"],
    });
    expect(draftView.parse((await forward.json()).draft)).toMatchObject({
      revision: 2,
      forwardOf: "mailbox:abc123",
      attachmentIds: ["att-2"],
      quoteHtml: "",
    });
    const after = (await (await callRoute(getOne, { user: owner, params: { id } })).json()).draft;
    expect(after.inReplyTo).toBeUndefined();
    expect(after.references).toBeUndefined();
  });

  it.each([
    ["a malformed In-Reply-To", { inReplyTo: "not-an-id" }, "inReplyTo"],
    ["a forwardOf naming no original", { forwardOf: "inbox:1" }, "forwardOf"],
    ["too many files", { attachmentIds: Array.from({ length: 101 }, (_, i) => `a${i}`) }, "attachmentIds"],
  ])("refuses %s with a field error", async (_label, extra, field) => {
    const res = await save(randomUUID(), { baseRevision: 0, ...extra });
    expect(res.status).toBe(400);
    expect(Object.keys((await res.json()).error.fields)).toContain(field);
  });

  it("refuses malformed JSON with 400 and an oversized request with 413", async () => {
    const id = randomUUID();
    const bad = await callRoute(put, { method: "PUT", user: owner, rawBody: "{", params: { id } });
    expect(bad.status).toBe(400);
    const huge = await callRoute(put, {
      method: "PUT",
      user: owner,
      rawBody: JSON.stringify({ baseRevision: 0, html: "y".repeat(2 * MAX_DRAFT_BODY_BYTES + 300 * 1024) }),
      params: { id },
    });
    expect(huge.status).toBe(413);
  });
});
