import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readEvents, startFakeOpenAI, type FakeOpenAI } from "@/tests/support/fake-openai";
import type { TestUser } from "@/tests/support/api";

// "Use the attached files": the draft and rewrite routes read the user's own files from storage and pass them to
// a local OpenAI-compatible server (real HTTP), which records what it received.
let upstream: FakeOpenAI;
let routes: {
  draft: typeof import("@/app/api/ai/draft/route");
  rewrite: typeof import("@/app/api/ai/rewrite/route");
};
let env: (typeof import("@/lib/env"))["env"];
let upload: (typeof import("@/lib/attachments/attachments"))["uploadAttachment"];
let user: TestUser;
let other: TestUser;

beforeAll(async () => {
  upstream = await startFakeOpenAI();
  Object.assign(process.env, {
    OPENAI_API_KEY: "sk-test-key",
    OPENAI_BASE_URL: upstream.baseUrl,
    OPENAI_MODEL: "test-small-model",
    AI_TIMEOUT_MS: "1500",
  });
  routes = {
    draft: await import("@/app/api/ai/draft/route"),
    rewrite: await import("@/app/api/ai/rewrite/route"),
  };
  env = (await import("@/lib/env")).env;
  upload = (await import("@/lib/attachments/attachments")).uploadAttachment;
  const api = await import("@/tests/support/api");
  user = await api.signUpUser("Writer");
  other = await api.signUpUser("Someone else");
});

afterAll(() => upstream.close());

const setVision = (value: "auto" | "on" | "off") => Object.assign(env, { OPENAI_VISION: value });

async function attach(
  owner: TestUser,
  name: string,
  type: string,
  bytes: Uint8Array | string,
): Promise<string> {
  const body = typeof bytes === "string" ? new TextEncoder().encode(bytes) : bytes;
  const result = await upload(
    owner.id,
    { name, key: randomUUID(), inline: "0" },
    type,
    new Blob([Buffer.from(body)]).stream(),
  );
  return result.attachment.id;
}

const post = (
  handler: (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>,
  json: unknown,
  u: TestUser = user,
) =>
  handler(
    new Request("http://localhost/api/ai", {
      method: "POST",
      headers: { "content-type": "application/json", cookie: u.cookie },
      body: JSON.stringify(json),
    }),
    { params: Promise.resolve({}) },
  );

type Part = { type: string; text?: string; image_url?: { url: string } };
const lastUserContent = () => upstream.requests.at(-1)!.body.messages[1]!.content as string | Part[];

const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 73, 72, 68, 82]);

describe("AI with the attached files", () => {
  it("quotes a text file and sends an image part to a model that reads images", async () => {
    setVision("on");
    const notes = await attach(user, "notes.md", "text/markdown", "# Prices\nThe venue costs 1,250 EUR.");
    const photo = await attach(user, "floor.png", "image/png", png);
    upstream.next({
      kind: "stream",
      pieces: ["Draft."],
      usage: { prompt_tokens: 900, completion_tokens: 3 },
    });
    const res = await post(routes.draft.POST, {
      instruction: "Tell Sam what the venue costs",
      attachmentIds: [notes, photo],
    });
    expect(res.status).toBe(200);
    expect((await readEvents(res)).at(-1)?.event).toBe("done");

    const content = lastUserContent();
    expect(Array.isArray(content)).toBe(true);
    const parts = content as Part[];
    const data = JSON.parse(parts[0]!.text!) as { attachedFiles: { name: string; text: string }[] };
    expect(data.attachedFiles).toEqual([{ name: "notes.md", text: "# Prices\nThe venue costs 1,250 EUR." }]);
    expect(parts[1]).toEqual({
      type: "image_url",
      image_url: { url: `data:image/png;base64,${Buffer.from(png).toString("base64")}` },
    });
  });

  it("sends no image part to a model that does not read images, only the text file", async () => {
    setVision("auto"); // "test-small-model" is not known to read images
    const notes = await attach(user, "minutes.txt", "text/plain", "Decided: launch on Monday.");
    const photo = await attach(user, "whiteboard.jpg", "image/jpeg", png);
    upstream.next({ kind: "stream", pieces: ["Shorter."] });
    const res = await post(routes.rewrite.POST, {
      text: "We talked about the launch for a long while.",
      mode: "shorter",
      attachmentIds: [notes, photo],
    });
    expect(res.status).toBe(200);
    await readEvents(res);
    const content = lastUserContent();
    expect(typeof content).toBe("string");
    const data = JSON.parse(content as string) as Record<string, unknown>;
    expect(data.attachedFiles).toEqual([{ name: "minutes.txt", text: "Decided: launch on Monday." }]);
    expect(data.filesNotIncluded).toEqual([
      { name: "whiteboard.jpg", reason: "this model cannot read images" },
    ]);
    expect(content as string).not.toContain("data:image");
  });

  it("answers 404 for another user's attachment and never calls the model", async () => {
    setVision("on");
    const theirs = await attach(other, "secret.txt", "text/plain", "Not yours.");
    const before = upstream.requests.length;
    const res = await post(routes.draft.POST, { instruction: "Summarise the file", attachmentIds: [theirs] });
    expect(res.status).toBe(404);
    expect(upstream.requests.length).toBe(before);
    expect(JSON.stringify(upstream.requests)).not.toContain("Not yours.");
  });

  it("gives a file's name and size as JSON to its owner only (Compose lists forwarded files by it)", async () => {
    const route = await import("@/app/api/attachments/[id]/route");
    const id = await attach(user, "agenda.txt", "text/plain", "1. Budget");
    const get = (u: TestUser) =>
      route.GET(
        new Request(`http://localhost/api/attachments/${id}?info=1`, { headers: { cookie: u.cookie } }),
        {
          params: Promise.resolve({ id }),
        },
      );
    const mine = await get(user);
    expect(mine.status).toBe(200);
    expect((await mine.json()).attachment).toMatchObject({ id, filename: "agenda.txt", size: 9 });
    expect((await get(other)).status).toBe(404);
  });

  it("answers 400 for attachment ids that are not a list of strings", async () => {
    const res = await post(routes.draft.POST, { instruction: "x", attachmentIds: "abc" });
    expect(res.status).toBe(400);
    expect((await res.json()).error.fields).toHaveProperty("attachmentIds");
  });
});
