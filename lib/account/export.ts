import "server-only";
import { strToU8, zipSync, type Zippable } from "fflate";
import { ApiError } from "@/lib/api/errors";
import { listAuditEvents, type AuditEventView } from "@/lib/audit/events";
import { getUserById } from "@/lib/auth/users";
import { db } from "@/lib/db/client";
import { recipientViews } from "@/lib/messages/message-view";
import { timelineOf } from "@/lib/messages/timeline";
import { toSenderView } from "@/lib/senders/senders";

// The archive is built in memory; past this size the export is refused rather than risking the server.
export const MAX_EXPORT_BYTES = 200 * 1024 * 1024;
const BATCH = 500;

/**
 * Everything SecureVault holds about a user, as a zip: account.json, senders.json (no passwords or ciphertext),
 * messages.json (with their status events), ai-usage.json, audit-events.json and the sandbox Mailbox as .eml files.
 */
export async function buildAccountExport(userId: string): Promise<Uint8Array> {
  const user = await getUserById(userId);
  if (!user) throw new ApiError("unauthorized", "Sign in to continue.");
  let size = 0;
  const files: Zippable = {};
  const add = (name: string, data: Uint8Array) => {
    size += data.byteLength;
    if (size > MAX_EXPORT_BYTES) {
      throw new ApiError(
        "payload_too_large",
        `Your data is larger than ${MAX_EXPORT_BYTES / 1024 / 1024} MB, too large to export in one piece. Contact the administrator.`,
      );
    }
    files[name] = data;
  };
  const json = (value: unknown) => strToU8(JSON.stringify(value, null, 2));

  add("README.txt", strToU8(readme(new Date())));
  add("account.json", json(user));
  const senders = await db.sender.findMany({ where: { userId }, orderBy: { createdAt: "asc" } });
  add("senders.json", json(senders.map(toSenderView)));
  add("messages.json", json(await allMessages(userId)));
  add(
    "ai-usage.json",
    json(
      await db.aiUsage.findMany({
        where: { userId },
        orderBy: [{ day: "asc" }, { feature: "asc" }],
        select: { day: true, feature: true, requests: true, promptTokens: true, completionTokens: true },
      }),
    ),
  );
  add("audit-events.json", json(await allAuditEvents(userId)));

  let cursor = "";
  for (;;) {
    const mails = await db.sandboxMail.findMany({
      where: { userId, id: { gt: cursor } },
      orderBy: { id: "asc" },
      take: BATCH,
      select: { id: true, receivedAt: true, raw: true },
    });
    for (const mail of mails) {
      const stamp = mail.receivedAt.toISOString().replace(/[:.]/g, "-");
      add(`mailbox/${stamp}-${mail.id}.eml`, new Uint8Array(mail.raw));
    }
    if (mails.length < BATCH) break;
    cursor = mails.at(-1)!.id;
  }
  return zipSync(files, { level: 6 });
}

async function allMessages(userId: string) {
  const out: unknown[] = [];
  let cursor = "";
  for (;;) {
    const rows = await db.message.findMany({
      where: { userId, id: { gt: cursor } },
      orderBy: { id: "asc" },
      take: BATCH,
      include: {
        events: { orderBy: { createdAt: "asc" }, select: { type: true, detail: true, createdAt: true } },
      },
    });
    // Internal bookkeeping (request hash, worker lease) says nothing about the user.
    for (const row of rows) {
      const { requestHash: _hash, leaseUntil: _lease, userId: _user, events: _stored, ...message } = row;
      out.push({ ...message, recipients: recipientViews(row), events: timelineOf(row) });
    }
    if (rows.length < BATCH) return out;
    cursor = rows.at(-1)!.id;
  }
}

async function allAuditEvents(userId: string): Promise<AuditEventView[]> {
  const out: AuditEventView[] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = await listAuditEvents(userId, { cursor, limit: 100 });
    out.push(...page.events);
    if (!page.nextCursor) return out;
    cursor = page.nextCursor;
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
    "mailbox/*.eml      messages captured by the built-in Sandbox mailbox, as received",
    "",
  ].join("\n");
}
