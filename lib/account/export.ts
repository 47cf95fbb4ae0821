import "server-only";
import { setImmediate as nextTurn } from "node:timers/promises";
import { strToU8, Zip, ZipDeflate } from "fflate";
import { ApiError } from "@/lib/api/errors";
import { listAuditEvents } from "@/lib/audit/events";
import { getUserById } from "@/lib/auth/users";
import { db } from "@/lib/db/client";
import { listDrafts } from "@/lib/drafts/drafts";
import { log } from "@/lib/log/logger";
import { recipientViews } from "@/lib/messages/message-view";
import { toAttachmentSummary } from "@/lib/attachments/attachments";
import { attachmentStorage } from "@/lib/attachments/storage";
import type { Attachment } from "@/lib/generated/prisma/client";
import { timelineOf } from "@/lib/messages/timeline";
import { toSenderView } from "@/lib/senders/senders";

// The export is a stream: rows are read a page at a time and compressed into the zip as the client takes it,
// so an account with gigabytes of mail costs the server a few megabytes, and compression yields to other
// requests between slices instead of holding the event loop.
const MESSAGE_PAGE = 100;
const MAIL_PAGE = 100;
/** Input compressed in one go before other work gets a turn (about a few milliseconds of deflate). */
const SLICE_BYTES = 256 * 1024;
const LEVEL = 6;

/**
 * Everything SecureVault holds about a user, as a zip: account.json, senders.json (no passwords or ciphertext),
 * messages.json (with their status events), ai-usage.json, audit-events.json and the sandbox Mailbox as .eml
 * files.
 */
export async function streamAccountExport(userId: string): Promise<ReadableStream<Uint8Array>> {
  const user = await getUserById(userId);
  if (!user) throw new ApiError("unauthorized", "Sign in to continue.");
  const chunks = zipChunks(userId, user);
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const { value, done } = await chunks.next();
          if (done) {
            controller.close();
            return;
          }
          controller.enqueue(value);
        } catch (error) {
          // The status line has gone out: all that is left is to cut the download short, which the browser shows.
          log.error({ err: error, userId }, "account export failed mid-stream");
          controller.error(error);
        }
      },
      async cancel() {
        await chunks.return(undefined);
      },
    },
    // Pull only when the client has taken what came before: memory stays at a few chunks.
    { highWaterMark: 4 },
  );
}

/** The zip, as the chunks fflate produces while entries are pushed into it one slice at a time. */
async function* zipChunks(userId: string, user: object): AsyncGenerator<Uint8Array, void, undefined> {
  const ready: Uint8Array[] = [];
  let failure: Error | null = null;
  const zip = new Zip((error, chunk) => {
    if (error) failure = error;
    else ready.push(chunk);
  });
  function* drain() {
    if (failure) throw failure;
    while (ready.length) yield ready.shift()!;
  }

  async function* entry(name: string, parts: AsyncIterable<Uint8Array> | Iterable<Uint8Array>) {
    const file = new ZipDeflate(name, { level: LEVEL });
    zip.add(file);
    for await (const part of parts) {
      for (let at = 0; at < part.byteLength; at += SLICE_BYTES) {
        file.push(part.subarray(at, at + SLICE_BYTES));
        yield* drain();
        await nextTurn();
      }
    }
    file.push(new Uint8Array(0), true);
    yield* drain();
  }
  const json = (value: unknown) => [strToU8(JSON.stringify(value, null, 2))];

  yield* entry("README.txt", [strToU8(readme(new Date()))]);
  yield* entry("account.json", json(user));
  const senders = await db.sender.findMany({ where: { userId }, orderBy: { createdAt: "asc" } });
  yield* entry("senders.json", json(senders.map(toSenderView)));
  yield* entry("messages.json", jsonArray(messagePages(userId)));
  yield* entry(
    "ai-usage.json",
    json(
      await db.aiUsage.findMany({
        where: { userId },
        orderBy: [{ day: "asc" }, { feature: "asc" }],
        select: { day: true, feature: true, requests: true, promptTokens: true, completionTokens: true },
      }),
    ),
  );
  yield* entry("audit-events.json", jsonArray(auditEventPages(userId)));
  yield* entry("drafts.json", json(await listDrafts(userId)));

  for await (const file of attachmentFiles(userId)) {
    yield* entry(attachmentPath(file), attachmentStorage().read(file.storageKey));
  }

  for await (const mail of sandboxMails(userId)) {
    const stamp = mail.receivedAt.toISOString().replace(/[:.]/g, "-");
    yield* entry(`mailbox/${stamp}-${mail.id}.eml`, [new Uint8Array(mail.raw)]);
  }
  zip.end();
  yield* drain();
}

/** A JSON array written item by item, so no page is held longer than it takes to encode it. */
async function* jsonArray(pages: AsyncIterable<unknown[]>): AsyncGenerator<Uint8Array> {
  let first = true;
  yield strToU8("[");
  for await (const page of pages) {
    const text = page.map((item) => JSON.stringify(item, null, 2)).join(",\n");
    if (!text) continue;
    yield strToU8((first ? "\n" : ",\n") + text);
    first = false;
  }
  yield strToU8(first ? "]\n" : "\n]\n");
}

async function* messagePages(userId: string): AsyncGenerator<unknown[]> {
  let cursor = "";
  for (;;) {
    const rows = await db.message.findMany({
      where: { userId, id: { gt: cursor } },
      orderBy: { id: "asc" },
      take: MESSAGE_PAGE,
      include: {
        events: { orderBy: { createdAt: "asc" }, select: { type: true, detail: true, createdAt: true } },
        attachments: { orderBy: { position: "asc" }, include: { attachment: true } },
      },
    });
    // Internal bookkeeping (request hash, worker lease) says nothing about the user.
    yield rows.map((row) => {
      const {
        requestHash: _hash,
        leaseUntil: _lease,
        userId: _user,
        events: _stored,
        attachments: links,
        ...message
      } = row;
      const attachments = links.map(({ attachment: a }) => ({
        ...toAttachmentSummary(a),
        file: attachmentPath(a),
      }));
      return { ...message, attachments, recipients: recipientViews(row), events: timelineOf(row) };
    });
    if (rows.length < MESSAGE_PAGE) return;
    cursor = rows.at(-1)!.id;
  }
}

/** Where a file is in the zip: its id keeps two files of one name apart; the name is made safe for any disk. */
function attachmentPath(a: Pick<Attachment, "id" | "filename">): string {
  return `attachments/${a.id}-${a.filename.replace(/[^\p{L}\p{N} ._()-]/gu, "_").slice(0, 120)}`;
}

/** The user's stored files, a page at a time (each read from storage as a stream when its turn comes). */
async function* attachmentFiles(userId: string) {
  let cursor = "";
  for (;;) {
    const page = await db.attachment.findMany({
      where: { userId, id: { gt: cursor } },
      orderBy: { id: "asc" },
      take: MAIL_PAGE,
    });
    yield* page;
    if (page.length < MAIL_PAGE) return;
    cursor = page.at(-1)!.id;
  }
}

async function* auditEventPages(userId: string): AsyncGenerator<unknown[]> {
  let cursor: string | undefined;
  for (;;) {
    const page = await listAuditEvents(userId, { cursor, limit: 100 });
    yield page.events;
    if (!page.nextCursor) return;
    cursor = page.nextCursor;
  }
}

/** Mailbox messages one at a time: their ids a page at a time, each body read only when its turn comes. */
async function* sandboxMails(userId: string) {
  let cursor = "";
  for (;;) {
    const ids = await db.sandboxMail.findMany({
      where: { userId, id: { gt: cursor } },
      orderBy: { id: "asc" },
      take: MAIL_PAGE,
      select: { id: true },
    });
    for (const { id } of ids) {
      const mail = await db.sandboxMail.findFirst({
        where: { id, userId },
        select: { id: true, receivedAt: true, raw: true },
      });
      if (mail) yield mail;
    }
    if (ids.length < MAIL_PAGE) return;
    cursor = ids.at(-1)!.id;
  }
}

function readme(now: Date): string {
  return [
    `SecureVault data export, made ${now.toISOString()}.`,
    "",
    "account.json       your account (the password is stored only as a hash and is not included)",
    "senders.json       your mail accounts, without their passwords",
    "messages.json      every message you sent or scheduled, with each recipient's outcome and its status timeline",
    "ai-usage.json      AI assistant usage per day and feature",
    "audit-events.json  security events on your account",
    "drafts.json        drafts saved in your account (what each device has not yet sent is not included)",
    "attachments/*      the files you attached (messages.json names each message's), and unsent uploads",
    "mailbox/*.eml      messages captured by the built-in Sandbox mailbox, as received",
    "",
  ].join("\n");
}
