import { describe, expect, it } from "vitest";
import type { Draft } from "@/lib/offline/db";
import {
  conflictedSubject,
  draftContent,
  fromServer,
  planPull,
  resolveConflict,
  sameDraftContent,
  serverFileIds,
} from "@/lib/offline/draft-merge";
import type { DraftView } from "@/lib/validation/drafts";

const USER = "user-1";

function local(id: string, over: Partial<Draft> = {}): Draft {
  return {
    id,
    userId: USER,
    senderId: "s1",
    to: [{ address: "alice@example.com" }],
    cc: [],
    bcc: [],
    subject: `Local ${id}`,
    html: "<p>local</p>",
    updatedAt: 1_000,
    ...over,
  };
}

function server(id: string, revision: number, over: Partial<DraftView> = {}): DraftView {
  return {
    id,
    revision,
    senderId: "s1",
    to: [{ address: "alice@example.com" }],
    cc: [],
    bcc: [],
    subject: `Server ${id}`,
    html: "<p>server</p>",
    quoteHtml: "",
    quotedText: "",
    attachmentIds: [],
    updatedAt: "2026-11-27T05:00:00.000Z",
    ...over,
  };
}

describe("planPull", () => {
  it.each([
    ["adds a draft only the server has", [], [server("a", 1)], [], ["a"], []],
    [
      "updates an unchanged local copy the server moved past",
      [local("a", { serverRevision: 1 })],
      [server("a", 2)],
      [],
      ["a"],
      [],
    ],
    [
      "keeps a local copy already at the server's revision",
      [local("a", { serverRevision: 2 })],
      [server("a", 2)],
      [],
      [],
      [],
    ],
    [
      "leaves a local change alone (sending it decides)",
      [local("a", { serverRevision: 1, unsynced: true })],
      [server("a", 3)],
      [],
      [],
      [],
    ],
    [
      "removes an unchanged copy deleted or sent elsewhere",
      [local("a", { serverRevision: 1 })],
      [],
      [],
      [],
      ["a"],
    ],
    [
      "keeps a copy changed here after it went elsewhere",
      [local("a", { serverRevision: 1, unsynced: true })],
      [],
      [],
      [],
      [],
    ],
    ["keeps a draft never sent to the server", [local("a")], [], [], [], []],
    ["does not bring back a draft deleted here", [], [server("a", 1)], ["a"], [], []],
  ] as const)("%s", (_label, mine, theirs, tombstoned, put, remove) => {
    const plan = planPull(USER, [...mine], [...theirs], new Set(tombstoned));
    expect(plan.put.map((d) => d.id)).toEqual(put);
    expect(plan.remove).toEqual(remove);
  });

  it("takes the server's content and revision, and marks it in step", () => {
    const [draft] = planPull(USER, [local("a", { serverRevision: 1 })], [server("a", 4)], new Set()).put;
    expect(draft).toMatchObject({
      id: "a",
      userId: USER,
      subject: "Server a",
      html: "<p>server</p>",
      serverRevision: 4,
      unsynced: false,
      updatedAt: Date.parse("2026-11-27T05:00:00.000Z"),
    });
  });
});

describe("resolveConflict", () => {
  it("keeps both: the server's version as a new conflicted copy, this device's on the server's revision", () => {
    const mine = local("a", { serverRevision: 2, unsynced: true, subject: "Contract" });
    const theirs = server("a", 3, { subject: "Contract", html: "<p>their words</p>" });
    const { copy, local: kept } = resolveConflict(mine, theirs, () => "copy-id");
    expect(copy).toMatchObject({
      id: "copy-id",
      userId: USER,
      subject: "Contract (conflicted copy)",
      html: "<p>their words</p>",
      serverRevision: undefined,
      unsynced: true,
    });
    expect(kept).toMatchObject({ id: "a", html: "<p>local</p>", serverRevision: 3, unsynced: true });
  });

  it.each([
    ["Contract", "Contract (conflicted copy)"],
    ["", "(no subject) (conflicted copy)"],
    ["Contract (conflicted copy)", "Contract (conflicted copy)"],
  ])("titles %j as %j", (subject, title) => {
    expect(conflictedSubject(subject)).toBe(title);
  });
});

describe("sameDraftContent", () => {
  const base = local("a");
  it.each<[string, Partial<Draft>, boolean]>([
    ["the same content with another time and revision", { updatedAt: 9, serverRevision: 7 }, true],
    [
      "a recipient's name stored in another key order",
      { to: [{ name: undefined, address: "alice@example.com" }] },
      true,
    ],
    ["another subject", { subject: "Other" }, false],
    ["another body", { html: "<p>x</p>" }, false],
    ["another sender", { senderId: "s2" }, false],
    ["a recipient moved from To to Cc", { to: [], cc: [{ address: "alice@example.com" }] }, false],
    ["a recipient's name added", { to: [{ address: "alice@example.com", name: "Alice" }] }, false],
    ["another quoted original", { quoteHtml: "<div>q</div>" }, false],
    ["a reply's threading headers", { inReplyTo: "<a@x>", references: "<a@x>" }, false],
    ["a forward's original", { forwardOf: "sent:m1" }, false],
    ["a file from the original", { attachmentIds: ["att-1"] }, false],
    ["an uploaded file", { files: [file("k1", "att-9")] }, false],
    ["a file still waiting to upload (the server cannot hold it yet)", { files: [file("k2")] }, true],
  ])("%s → %s", (_label, change, same) => {
    expect(sameDraftContent(base, { ...base, ...change })).toBe(same);
  });
});

function file(key: string, attachmentId?: string) {
  return {
    key,
    name: `${key}.txt`,
    type: "text/plain",
    size: 3,
    inline: false,
    blob: new Blob(["abc"]),
    ...(attachmentId ? { attachmentId } : {}),
  };
}

describe("a reply or forward from one device to the next", () => {
  const reply = local("r", {
    quoteHtml: '<div class="sv-quote"><blockquote>Sign?</blockquote></div>',
    quotedText: "Sign?",
    inReplyTo: "<b@x>",
    references: "<a@x> <b@x>",
    forwardOf: "mailbox:m1",
    attachmentIds: ["att-1"],
    files: [file("k1", "att-2"), file("k2"), file("k3", "att-1")],
  });

  it("sends the quote, thread, original and every file the server has, each once", () => {
    expect(draftContent(reply)).toMatchObject({
      quoteHtml: reply.quoteHtml,
      quotedText: "Sign?",
      inReplyTo: "<b@x>",
      references: "<a@x> <b@x>",
      forwardOf: "mailbox:m1",
      attachmentIds: ["att-1", "att-2"],
    });
    expect(serverFileIds({ attachmentIds: undefined, files: undefined })).toEqual([]);
  });

  it("comes back on the other device as the same draft, its files as server files", () => {
    const saved: DraftView = {
      ...server("r", 1),
      ...draftContent(reply),
      quoteHtml: reply.quoteHtml!,
      quotedText: "Sign?",
      subject: reply.subject,
      html: reply.html,
    };
    const other = fromServer(USER, saved);
    expect(other).toMatchObject({
      quoteHtml: reply.quoteHtml,
      inReplyTo: "<b@x>",
      references: "<a@x> <b@x>",
      forwardOf: "mailbox:m1",
      attachmentIds: ["att-1", "att-2"],
    });
    expect(other.files).toBeUndefined();
    // Nothing to save again: it holds what the server holds (the file still waiting stays on the first device).
    expect(sameDraftContent(other, reply)).toBe(true);
  });

  it("a plain draft stays plain", () => {
    const plain = fromServer(USER, server("p", 1));
    expect(plain.quoteHtml).toBeUndefined();
    expect(plain.inReplyTo).toBeUndefined();
    expect(plain.attachmentIds).toBeUndefined();
  });
});
