import "server-only";
import { simpleParser, type AddressObject } from "mailparser";
import { ApiError } from "@/lib/api/errors";
import { db } from "@/lib/db/client";
import { sanitizeEmailHtml } from "@/lib/mail/sanitize";

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
  const parsed = await simpleParser(Buffer.from(row.raw));
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
    html: typeof parsed.html === "string" ? sanitizeEmailHtml(parsed.html) : null,
    attachments: parsed.attachments.map((a) => ({
      filename: a.filename ?? "attachment",
      contentType: a.contentType,
      size: a.size,
    })),
  };
}

function addressTexts(value: AddressObject | AddressObject[] | undefined): string[] {
  if (!value) return [];
  return (Array.isArray(value) ? value : [value]).map((a) => a.text);
}
