import "server-only";
import { simpleParser, type AddressObject } from "mailparser";
import { ApiError } from "@/lib/api/errors";
import { db } from "@/lib/db/client";
import { sanitizeEmailHtml } from "@/lib/mail/sanitize";
import type { ReplySource } from "@/lib/compose/reply";
import type { Recipient } from "@/lib/validation/messages";

export type MailboxItem = {
  id: string;
  subject: string;
  from: string;
  to: string[];
  size: number;
  receivedAt: string;
};

export type MailboxMessage = MailboxItem & {
  messageId: string | null;
  cc: string;
  date: string | null;
  text: string;
  /** Sanitized; still only ever shown inside a sandboxed iframe. */
  html: string | null;
  attachments: { filename: string; contentType: string; size: number }[];
  /** What Reply, Reply all and Forward start from (lib/compose/reply.ts). */
  replySource: ReplySource;
};

/** Stores a captured message in the user's Mailbox (the sandbox SMTP server's, and account mail's without SMTP). */
export async function captureSandboxMail(
  userId: string,
  envelope: { from: string; to: string[] },
  raw: Buffer,
): Promise<string> {
  const parsed = await simpleParser(raw, {
    skipHtmlToText: true,
    skipTextToHtml: true,
    skipImageLinks: true,
  });
  const mail = await db.sandboxMail.create({
    data: {
      userId,
      messageIdHeader: parsed.messageId ?? null,
      envelopeFrom: envelope.from,
      envelopeTo: envelope.to,
      subject: parsed.subject ?? "",
      raw: new Uint8Array(raw),
      size: raw.length,
    },
    select: { id: true },
  });
  return mail.id;
}

export async function listMailbox(
  userId: string,
  { cursor, limit = 50 }: { cursor?: string; limit?: number } = {},
): Promise<{ items: MailboxItem[]; nextCursor: string | null }> {
  const rows = await db.sandboxMail.findMany({
    where: { userId },
    orderBy: [{ receivedAt: "desc" }, { id: "desc" }],
    cursor: cursor ? { id: cursor } : undefined,
    skip: cursor ? 1 : 0,
    take: limit + 1,
    select: { id: true, subject: true, envelopeFrom: true, envelopeTo: true, size: true, receivedAt: true },
  });
  const items = rows.slice(0, limit).map((r) => ({
    id: r.id,
    subject: r.subject,
    from: r.envelopeFrom,
    to: r.envelopeTo as string[],
    size: r.size,
    receivedAt: r.receivedAt.toISOString(),
  }));
  return { items, nextCursor: rows.length > limit ? (items.at(-1)?.id ?? null) : null };
}

/** One captured message, parsed; 404 when missing or in someone else's Mailbox. */
export async function getMailboxMessageOrThrow(userId: string, id: string): Promise<MailboxMessage> {
  const row = await db.sandboxMail.findFirst({ where: { id, userId } });
  if (!row) throw new ApiError("not_found", "Message not found in your Mailbox.");
  // cid: links kept: a forward's HTML names its inline images as the forwarded message carries them (the
  // Mailbox's copies keep their Content-IDs); the page shows them from data: URIs made here.
  const parsed = await simpleParser(Buffer.from(row.raw), { keepCidLinks: true });
  const quotedHtml = typeof parsed.html === "string" ? sanitizeEmailHtml(parsed.html) : null;
  const html =
    typeof parsed.html === "string"
      ? sanitizeEmailHtml(inlineImagesAsData(parsed.html, parsed.attachments))
      : null;
  const from = addressList(parsed.from)[0] ?? { address: row.envelopeFrom };
  return {
    id: row.id,
    subject: parsed.subject ?? row.subject,
    from: parsed.from?.text ?? row.envelopeFrom,
    to: addressTexts(parsed.to),
    cc: addressTexts(parsed.cc).join(", "),
    size: row.size,
    receivedAt: row.receivedAt.toISOString(),
    messageId: parsed.messageId ?? null,
    date: parsed.date?.toISOString() ?? null,
    text: parsed.text ?? "",
    html,
    attachments: parsed.attachments.map((a) => ({
      filename: a.filename ?? "attachment",
      contentType: a.contentType,
      size: a.size,
    })),
    replySource: {
      kind: "mailbox",
      id: row.id,
      messageId: parsed.messageId ?? row.messageIdHeader,
      references: Array.isArray(parsed.references)
        ? parsed.references.join(" ")
        : (parsed.references ?? null),
      inReplyTo: parsed.inReplyTo ?? null,
      subject: parsed.subject ?? row.subject,
      date: (parsed.date ?? row.receivedAt).toISOString(),
      from,
      replyTo: addressList(parsed.replyTo),
      to: addressList(parsed.to),
      cc: addressList(parsed.cc),
      html: quotedHtml,
      text: parsed.text ?? "",
      attachmentCount: parsed.attachments.length,
    },
  };
}

/** The `index`-th attachment of a captured message (as the message view lists them); 404 when there is none. */
export async function getMailboxAttachmentOrThrow(
  userId: string,
  id: string,
  index: string,
): Promise<{ filename: string; contentType: string; content: Buffer }> {
  const row = await db.sandboxMail.findFirst({ where: { id, userId }, select: { raw: true } });
  if (!row) throw new ApiError("not_found", "Message not found in your Mailbox.");
  const at = /^\d{1,4}$/.test(index) ? Number(index) : -1;
  const parsed = await simpleParser(Buffer.from(row.raw), { skipHtmlToText: true, skipTextToHtml: true });
  const attachment = parsed.attachments[at];
  if (!attachment) throw new ApiError("not_found", "Attachment not found.");
  return {
    filename: attachment.filename ?? "attachment",
    contentType: attachment.contentType.toLowerCase(),
    content: attachment.content,
  };
}

/** The HTML with each cid: image the message carries replaced by a data: URI of its bytes, for the page. */
function inlineImagesAsData(
  html: string,
  attachments: { cid?: string; contentType: string; content: Buffer }[],
): string {
  const byCid = new Map(attachments.filter((a) => a.cid).map((a) => [a.cid!.toLowerCase(), a]));
  return html.replace(/(["'])cid:([^"']+)\1/gi, (match, quote: string, cid: string) => {
    const file = byCid.get(cid.trim().toLowerCase());
    return file
      ? `${quote}data:${file.contentType};base64,${file.content.toString("base64")}${quote}`
      : match;
  });
}

/** Each mailbox of an address header (groups flattened), as a recipient. */
function addressList(value: AddressObject | AddressObject[] | undefined): Recipient[] {
  if (!value) return [];
  const out: Recipient[] = [];
  const visit = (entries: AddressObject["value"]) => {
    for (const entry of entries) {
      if (entry.group) visit(entry.group);
      else if (entry.address)
        out.push(entry.name ? { address: entry.address, name: entry.name } : { address: entry.address });
    }
  };
  for (const object of Array.isArray(value) ? value : [value]) visit(object.value);
  return out;
}

function addressTexts(value: AddressObject | AddressObject[] | undefined): string[] {
  if (!value) return [];
  return (Array.isArray(value) ? value : [value]).map((a) => a.text);
}
