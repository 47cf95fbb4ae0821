// Attachments end to end on the server: upload (streamed, idempotent, refused cleanly), send with files through a
// real SMTP server (byte-identical, names intact, parsed back with mailparser), the sender's size limit, download.
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { readdir } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DELETE as deleteAttachment, GET as getAttachment } from "@/app/api/attachments/[id]/route";
import { POST as upload } from "@/app/api/attachments/route";
import { POST as send } from "@/app/api/messages/route";
import { POST as testConnection } from "@/app/api/senders/[id]/test/route";
import { unzipSync } from "fflate";
import { GET as exportAccount } from "@/app/api/account/export/route";
import { GET as getMailboxMessage } from "@/app/api/mailbox/[id]/route";
import { GET as getMailboxAttachment } from "@/app/api/mailbox/[id]/attachments/[index]/route";
import { removeOrphanAttachments } from "@/lib/attachments/attachments";
import { startSandboxSmtp, type RunningSandbox } from "@/lib/sandbox/smtp-server";
import { db } from "@/lib/db/client";
import { startDeliveryWorker, type DeliveryWorker } from "@/lib/delivery/worker";
import { env } from "@/lib/env";
import { closeAllPools } from "@/lib/mail/transport";
import { addLoopbackSender, callRoute, signUpUser, type TestUser } from "@/tests/support/api";
import { startTestSmtpServer, type TestSmtpServer } from "@/tests/support/smtp-test-server";

let smtp: TestSmtpServer;
let sandbox: RunningSandbox;
let worker: DeliveryWorker;
let user: TestUser;
let other: TestUser;
let senderId: string;

beforeAll(async () => {
  smtp = await startTestSmtpServer({ users: { "me@acme.test": "pw" } });
  sandbox = await startSandboxSmtp({ host: "127.0.0.1", port: 0 });
  worker = startDeliveryWorker({ pollMs: 60_000, maxInFlight: 3 });
  user = await signUpUser("Ada");
  other = await signUpUser("Eve");
  senderId = (await addLoopbackSender(user, smtp.port)).id;
});

afterAll(async () => {
  await worker.stop();
  closeAllPools();
  await sandbox.close();
  await smtp.close();
});

const sha = (b: Buffer | Uint8Array) => createHash("sha256").update(b).digest("hex");

/** POST /api/attachments with the file as a streamed body, in chunks of 64 KB. */
async function uploadFile(
  as: TestUser,
  name: string,
  data: Buffer | (() => AsyncIterable<Uint8Array>),
  { key = randomUUID(), type = "application/octet-stream", inline = false } = {},
) {
  const chunks =
    typeof data === "function"
      ? data
      : async function* () {
          for (let i = 0; i < data.length; i += 65_536) yield data.subarray(i, i + 65_536);
        };
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      for await (const c of chunks()) controller.enqueue(c);
      controller.close();
    },
  });
  const query = new URLSearchParams({ name, key, ...(inline ? { inline: "1" } : {}) });
  const req = new Request(`http://localhost/api/attachments?${query}`, {
    method: "POST",
    headers: { cookie: as.cookie, "content-type": type },
    body,
    duplex: "half",
  } as RequestInit);
  const res = await upload(req, { params: Promise.resolve({}) });
  return { status: res.status, body: (await res.json()) as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any -- response shapes vary per case
}

async function sendMessage(as: TestUser, fields: Record<string, unknown>) {
  const res = await callRoute(send, {
    method: "POST",
    user: as,
    json: {
      idempotencyKey: randomUUID(),
      senderId,
      to: [{ address: "bob@example.org" }],
      subject: "Files",
      html: "<p>Attached</p>",
      ...fields,
    },
  });
  return { status: res.status, body: await res.json() };
}

const storedFiles = async () => {
  const root = path.join(env.dataDir, "attachments");
  const out: string[] = [];
  for (const dir of await readdir(root).catch(() => [])) {
    out.push(...(await readdir(path.join(root, dir)).catch(() => [])).map((f) => `${dir}/${f}`));
  }
  return out;
};

describe("upload", () => {
  it("streams a file into storage and answers its record; the same key again returns it without storing twice", async () => {
    const data = randomBytes(300_000);
    const key = randomUUID();
    const first = await uploadFile(user, "Résumé 2026.pdf", data, { key, type: "application/pdf" });
    expect(first.status).toBe(201);
    expect(first.body.attachment).toMatchObject({
      filename: "Résumé 2026.pdf",
      contentType: "application/pdf",
      size: 300_000,
      sha256: sha(data),
    });
    expect(first.body.attachment.encodedSize).toBeGreaterThan(400_000);
    const files = (await storedFiles()).length;
    const again = await uploadFile(user, "Résumé 2026.pdf", data, { key });
    expect(again.status).toBe(200);
    expect(again.body.attachment.id).toBe(first.body.attachment.id);
    expect((await storedFiles()).length).toBe(files);
  });

  it.each([
    ["../../etc/passwd", "name"],
    ["a\u0007b.txt", "name"],
    ["", "name"],
  ])("refuses the name %j with a field error", async (name, field) => {
    const res = await uploadFile(user, name, Buffer.from("x"));
    expect(res.status).toBe(400);
    expect(Object.keys(res.body.error.fields)).toEqual([field]);
  });

  it("refuses an empty file and keeps nothing", async () => {
    const before = await storedFiles();
    const res = await uploadFile(user, "empty.txt", Buffer.alloc(0));
    expect(res.status).toBe(400);
    expect(res.body.error.fields.file).toEqual(["The file is empty."]);
    expect(await storedFiles()).toEqual(before);
  });

  it("refuses a file over the limit with 413 naming it, leaving nothing half-stored", async () => {
    const before = await storedFiles();
    const limit = env.ATTACHMENT_MAX_MB * 1024 * 1024;
    const res = await uploadFile(user, "huge.bin", async function* () {
      const chunk = Buffer.alloc(1024 * 1024, 7);
      for (let sent = 0; sent <= limit; sent += chunk.length) yield chunk;
    });
    expect(res.status).toBe(413);
    expect(res.body.error.message).toContain(`${env.ATTACHMENT_MAX_MB} MB`);
    expect(await storedFiles()).toEqual(before);
    expect(await readdir(path.join(env.dataDir, "attachments", "tmp"))).toEqual([]);
    expect(await db.attachment.count({ where: { filename: "huge.bin" } })).toBe(0);
  });

  it("takes a program with a warning", async () => {
    const res = await uploadFile(user, "setup.exe", Buffer.from("MZ\x90\x00rest"));
    expect(res.status).toBe(201);
    expect(res.body.warning).toMatch(/looks like a program/);
  });

  it("keeps nothing when the upload breaks off midway", async () => {
    const before = await storedFiles();
    const res = await uploadFile(user, "cut.bin", async function* () {
      yield Buffer.alloc(100_000);
      throw new Error("connection reset");
    });
    expect(res.status).toBe(400);
    expect(await storedFiles()).toEqual(before);
    expect(await db.attachment.count({ where: { filename: "cut.bin" } })).toBe(0);
  });
});

describe("sending with files", () => {
  it("delivers them byte-identical with their names through a real SMTP server, once per idempotency key", async () => {
    const pdf = randomBytes(1_234_567);
    const txt = Buffer.from("Quarterly numbers\r\nline two\n", "utf8");
    const png = randomBytes(20_000);
    const a = (await uploadFile(user, "Отчёт за ноябрь — финал.pdf", pdf, { type: "application/pdf" })).body
      .attachment;
    const b = (await uploadFile(user, "notes.txt", txt, { type: "text/plain" })).body.attachment;
    const c = (await uploadFile(user, "pasted.png", png, { type: "image/png", inline: true })).body
      .attachment;
    expect(c.contentId).toMatch(/@securevault$/);
    const key = randomUUID();
    const fields = {
      idempotencyKey: key,
      html: `<p>See <img src="cid:${c.contentId}"></p>`,
      attachmentIds: [a.id, b.id, c.id],
    };
    const sent = await sendMessage(user, fields);
    expect(sent.status).toBe(202);
    const before = smtp.received.length;
    await worker.drain();
    expect(smtp.received.length).toBe(before + 1);
    const mail = await simpleParser(smtp.received.at(-1)!.raw);
    const byName = Object.fromEntries(mail.attachments.map((x) => [x.filename, x]));
    expect(Object.keys(byName).sort()).toEqual(
      ["notes.txt", "pasted.png", "Отчёт за ноябрь — финал.pdf"].sort(),
    );
    expect(sha(byName["Отчёт за ноябрь — финал.pdf"]!.content)).toBe(sha(pdf));
    expect(sha(byName["notes.txt"]!.content)).toBe(sha(txt));
    expect(sha(byName["pasted.png"]!.content)).toBe(sha(png));
    expect(byName["pasted.png"]!.cid).toBe(c.contentId);
    expect(byName["notes.txt"]!.contentDisposition).toBe("attachment");
    expect(smtp.received.at(-1)!.raw).toMatch(/Content-Type: multipart\/mixed/);

    // The same key and files: the stored message, not a second one; the same key with other files: 409.
    const replay = await sendMessage(user, fields);
    expect(replay.status).toBe(200);
    expect(replay.body.message.id).toBe(sent.body.message.id);
    const changed = await sendMessage(user, { ...fields, attachmentIds: [a.id, b.id] });
    expect(changed.status).toBe(409);
    await worker.drain();
    expect(smtp.received.length).toBe(before + 1);
  });

  it("refuses files that are not the user's, too many, or twice, naming attachmentIds", async () => {
    const mine = (await uploadFile(user, "a.txt", Buffer.from("a"))).body.attachment;
    const theirs = (await uploadFile(other, "b.txt", Buffer.from("b"))).body.attachment;
    const foreign = await sendMessage(user, { attachmentIds: [theirs.id] });
    expect(foreign.status).toBe(400);
    expect(foreign.body.error.fields.attachmentIds).toBeDefined();
    const twice = await sendMessage(user, { attachmentIds: [mine.id, mine.id] });
    expect(twice.status).toBe(400);
    const many = await sendMessage(user, {
      attachmentIds: Array.from({ length: env.ATTACHMENT_MAX_FILES + 1 }, () => mine.id),
    });
    expect(many.status).toBe(400);
    expect(many.body.error.fields.attachmentIds[0]).toContain(`At most ${env.ATTACHMENT_MAX_FILES} files`);
  });

  it("refuses, before sending, a message over the size the server announced with SIZE", async () => {
    const small = new SMTPServer({
      size: 1024 * 1024,
      allowInsecureAuth: true,
      disabledCommands: ["STARTTLS"],
      logger: false,
      onAuth: (auth, _session, cb) => cb(null, { user: auth.username }),
      onData(stream, _session, cb) {
        stream.resume();
        stream.on("end", () => cb());
      },
    });
    await new Promise<void>((r) => small.listen(0, "127.0.0.1", r));
    try {
      const sender = await addLoopbackSender(user, (small.server.address() as AddressInfo).port);
      const tested = await callRoute(testConnection, { method: "POST", user, params: { id: sender.id } });
      expect(tested.status).toBe(200);
      expect((await tested.json()).result?.ok ?? true).toBe(true);
      expect((await db.sender.findUniqueOrThrow({ where: { id: sender.id } })).smtpSizeLimit).toBe(
        1024 * 1024,
      );
      const file = (await uploadFile(user, "big.bin", randomBytes(800_000))).body.attachment;
      const res = await sendMessage(user, { senderId: sender.id, attachmentIds: [file.id] });
      expect(res.status).toBe(413);
      expect(res.body.error.message).toMatch(/takes messages up to 1 MB/);
      expect(await db.message.count({ where: { senderId: sender.id } })).toBe(0);
    } finally {
      await new Promise<void>((r) => small.close(() => r()));
    }
  });
});

describe("download and removal", () => {
  it("serves the owner's file as a download with nosniff; another user gets 404", async () => {
    const data = Buffer.from("<script>alert(1)</script>");
    const file = (await uploadFile(user, "page.html", data, { type: "text/html" })).body.attachment;
    const res = await callRoute(getAttachment, { user, params: { id: file.id } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="page.html"/);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("content-type")).toBe("application/octet-stream");
    expect(Buffer.from(await res.arrayBuffer()).equals(data)).toBe(true);
    expect((await callRoute(getAttachment, { user: other, params: { id: file.id } })).status).toBe(404);
    expect((await callRoute(getAttachment, { user: null, params: { id: file.id } })).status).toBe(401);
  });

  it("previews a raster image inline, never another type", async () => {
    const png = (await uploadFile(user, "p.png", randomBytes(100), { type: "image/png" })).body.attachment;
    const svg = (await uploadFile(user, "p.svg", Buffer.from("<svg/>"), { type: "image/svg+xml" })).body
      .attachment;
    const a = await callRoute(getAttachment, {
      user,
      path: `/api/attachments/${png.id}?preview=1`,
      params: { id: png.id },
    });
    expect(a.headers.get("content-disposition")).toMatch(/^inline;/);
    expect(a.headers.get("content-type")).toBe("image/png");
    const b = await callRoute(getAttachment, {
      user,
      path: `/api/attachments/${svg.id}?preview=1`,
      params: { id: svg.id },
    });
    expect(b.headers.get("content-disposition")).toMatch(/^attachment;/);
  });

  it("removes an unused upload (its bytes too), but not one a message carries", async () => {
    const before = await storedFiles();
    const file = (await uploadFile(user, "draft.txt", Buffer.from("draft"))).body.attachment;
    expect(
      (await callRoute(deleteAttachment, { method: "DELETE", user: other, params: { id: file.id } })).status,
    ).toBe(404);
    expect(
      (await callRoute(deleteAttachment, { method: "DELETE", user, params: { id: file.id } })).status,
    ).toBe(204);
    expect(await storedFiles()).toEqual(before);
    const used = (await uploadFile(user, "used.txt", Buffer.from("used"))).body.attachment;
    expect((await sendMessage(user, { attachmentIds: [used.id] })).status).toBe(202);
    expect(
      (await callRoute(deleteAttachment, { method: "DELETE", user, params: { id: used.id } })).status,
    ).toBe(409);
  });

  it("removes uploads no message used once they are old enough, keeping those sent", async () => {
    const unused = (await uploadFile(user, "old.txt", Buffer.from("old"))).body.attachment;
    const used = (await uploadFile(user, "kept.txt", Buffer.from("kept"))).body.attachment;
    expect((await sendMessage(user, { attachmentIds: [used.id] })).status).toBe(202);
    const later = new Date(Date.now() + (env.ATTACHMENT_ORPHAN_HOURS + 1) * 3_600_000);
    expect(await removeOrphanAttachments(later)).toBeGreaterThan(0);
    expect(await db.attachment.findUnique({ where: { id: unused.id } })).toBeNull();
    expect(await db.attachment.findUnique({ where: { id: used.id } })).not.toBeNull();
    const res = await callRoute(getAttachment, { user, params: { id: used.id } });
    expect(res.status).toBe(200);
    await res.arrayBuffer();
  });
});

describe("Mailbox and export", () => {
  it("shows and serves the files of a message captured by the sandbox, and exports the user's files", async () => {
    const sandboxId = (await db.sender.findFirstOrThrow({ where: { userId: user.id, kind: "sandbox" } })).id;
    const data = randomBytes(70_000);
    const file = (await uploadFile(user, "chart ✓.png", data, { type: "image/png" })).body.attachment;
    expect((await sendMessage(user, { senderId: sandboxId, attachmentIds: [file.id] })).status).toBe(202);
    await worker.drain();
    const mail = await db.sandboxMail.findFirstOrThrow({
      where: { userId: user.id },
      orderBy: { receivedAt: "desc" },
    });
    const view = await (await callRoute(getMailboxMessage, { user, params: { id: mail.id } })).json();
    expect(view.message.attachments).toEqual([
      { filename: "chart ✓.png", contentType: "image/png", size: data.length },
    ]);
    const res = await callRoute(getMailboxAttachment, { user, params: { id: mail.id, index: "0" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toMatch(/^attachment;/);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(sha(Buffer.from(await res.arrayBuffer()))).toBe(sha(data));
    expect(
      (await callRoute(getMailboxAttachment, { user, params: { id: mail.id, index: "1" } })).status,
    ).toBe(404);
    expect(
      (await callRoute(getMailboxAttachment, { user: other, params: { id: mail.id, index: "0" } })).status,
    ).toBe(404);

    const zip = unzipSync(new Uint8Array(await (await callRoute(exportAccount, { user })).arrayBuffer()));
    const name = Object.keys(zip).find((n) => n.startsWith(`attachments/${file.id}-`));
    expect(name).toBeDefined();
    expect(sha(zip[name!]!)).toBe(sha(data));
    const messages = JSON.parse(Buffer.from(zip["messages.json"]!).toString("utf8")) as {
      attachments: { id: string; file: string }[];
    }[];
    expect(messages.some((m) => m.attachments.some((a) => a.id === file.id && a.file === name))).toBe(true);
  });
});
