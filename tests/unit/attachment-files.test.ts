import { afterEach, describe, expect, it, vi } from "vitest";
import {
  ensureUploaded,
  htmlWithInlineImages,
  requestBody,
  UploadRefusedError,
  type OutboxFile,
} from "@/lib/offline/attachment-files";

const file = (key: string, extra: Partial<OutboxFile> = {}): OutboxFile => ({
  key,
  name: `${key}.txt`,
  type: "text/plain",
  size: 5,
  inline: false,
  blob: new Blob(["hello"]),
  ...extra,
});

afterEach(() => vi.unstubAllGlobals());

describe("files on the device", () => {
  it("sends only the ids, files first, then those already on the server", () => {
    const body = requestBody({
      idempotencyKey: "k",
      files: [file("a", { attachmentId: "A" }), file("b", { attachmentId: "B" })],
      attachmentIds: ["F"],
    });
    expect(body).toEqual({ idempotencyKey: "k", attachmentIds: ["A", "B", "F"] });
    expect(requestBody({ idempotencyKey: "k", files: [] })).toEqual({ idempotencyKey: "k" });
  });

  it("places each pasted image once, by cid, with its name escaped", () => {
    const files = [file("img", { inline: true, name: 'a "b" <c>.png' }), file("doc")];
    const html = htmlWithInlineImages("<p>Hi</p>", files);
    expect(html).toBe('<p>Hi</p><p><img src="cid:img@securevault" alt="a &#34;b&#34; &#60;c&#62;.png"></p>');
    expect(htmlWithInlineImages(html, files)).toBe(html);
  });

  it("uploads only what has no id, each with its own key, and keeps the ids", async () => {
    const calls: string[] = [];
    vi.stubGlobal(
      "fetch",
      vi.fn(async (url: string) => {
        calls.push(url);
        const key = new URL(url, "http://x").searchParams.get("key");
        return Response.json({ attachment: { id: `id-${key}` } }, { status: 201 });
      }),
    );
    const done = await ensureUploaded([file("a", { attachmentId: "known" }), file("b")]);
    expect(done.map((f) => f.attachmentId)).toEqual(["known", "id-b"]);
    expect(calls).toEqual(["/api/attachments?name=b.txt&key=b"]);
  });

  it.each([
    [413, UploadRefusedError],
    [400, UploadRefusedError],
    [401, UploadRefusedError],
    [503, Error],
    [429, Error],
  ])("an answer %i rejects with %o", async (status, kind) => {
    vi.stubGlobal(
      "fetch",
      vi.fn(async () => Response.json({ error: { code: "x", message: "No." } }, { status })),
    );
    const failure = await ensureUploaded([file("a")]).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(kind);
    expect(failure instanceof UploadRefusedError).toBe(kind === UploadRefusedError);
  });
});
