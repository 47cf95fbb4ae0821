import "server-only";
import { findCampaignOrThrow } from "@/lib/campaigns/campaigns";
import { toCsv } from "@/lib/campaigns/suppressions";
import { db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";

export type RecipientResult = {
  position: number;
  email: string;
  /** pending and queued are "waiting"; queued ones have a message in the outbox. */
  status: string;
  reason: string | null;
  messageId: string;
  sentAt: string | null;
  unsubscribedAt: string | null;
};

/** A page of the campaign's rows in file order, after `after`, optionally of one status. */
export async function listRecipientResults(
  userId: string,
  campaignId: string,
  { status, after = 0, limit = 100 }: { status?: string; after?: number; limit?: number },
): Promise<RecipientResult[]> {
  await findCampaignOrThrow(userId, campaignId);
  const where: Prisma.CampaignRecipientWhereInput = { campaignId, position: { gt: after } };
  if (status === "unsubscribed") where.unsubscribedAt = { not: null };
  else if (status) where.status = status;
  const rows = await db.campaignRecipient.findMany({
    where,
    orderBy: { position: "asc" },
    take: limit,
    select: {
      position: true,
      email: true,
      status: true,
      reason: true,
      messageIdHeader: true,
      unsubscribedAt: true,
      message: { select: { sentAt: true, lastError: true, status: true } },
    },
  });
  return rows.map((r) => ({
    position: r.position,
    email: r.email,
    status: r.status,
    // A message still trying says why it waits (a deferral, a held sign-in).
    reason: r.reason ?? (r.status === "queued" ? (r.message?.lastError ?? null) : null),
    messageId: r.messageIdHeader,
    sentAt: r.message?.sentAt?.toISOString() ?? null,
    unsubscribedAt: r.unsubscribedAt?.toISOString() ?? null,
  }));
}

/** Every row's result as CSV, read a page at a time. */
export async function recipientResultsCsv(userId: string, campaignId: string): Promise<string> {
  const lines: string[][] = [];
  for (let after = 0; ;) {
    const page = await listRecipientResults(userId, campaignId, { after, limit: 500 });
    for (const r of page) {
      lines.push([
        String(r.position),
        r.email,
        r.status,
        r.reason ?? "",
        r.messageId,
        r.sentAt ?? "",
        r.unsubscribedAt ?? "",
      ]);
    }
    if (page.length < 500) break;
    after = page.at(-1)!.position;
  }
  return toCsv(["row", "email", "status", "reason", "message_id", "sent_at", "unsubscribed_at"], lines);
}
