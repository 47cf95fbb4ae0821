import "server-only";
import { recipientOfToken } from "@/lib/campaigns/unsubscribe";
import { db } from "@/lib/db/client";
import { unsubscribedEventFor } from "@/lib/webhooks/outcome-events";
import { announceWebhookEvents, writeWebhookEvents } from "@/lib/webhooks/outbox";

export type UnsubscribeTarget = {
  recipientId: string;
  email: string;
  userId: string;
  campaignId: string;
  campaignName: string;
  done: boolean;
};

/** The row a signed token names, or null for a token that is not ours (or whose row was deleted). */
export async function findUnsubscribeTarget(token: string): Promise<UnsubscribeTarget | null> {
  const recipientId = recipientOfToken(token);
  if (!recipientId) return null;
  const row = await db.campaignRecipient.findUnique({
    where: { id: recipientId },
    select: {
      email: true,
      unsubscribedAt: true,
      campaign: { select: { id: true, userId: true, name: true } },
    },
  });
  if (!row) return null;
  return {
    recipientId,
    email: row.email,
    userId: row.campaign.userId,
    campaignId: row.campaign.id,
    campaignName: row.campaign.name,
    done: row.unsubscribedAt !== null,
  };
}

/**
 * Unsubscribes the address from every later campaign of the user; repeating it changes nothing. The first time,
 * "recipient.unsubscribed" is committed with it (lib/webhooks/outbox.ts).
 */
export async function unsubscribe(target: UnsubscribeTarget): Promise<void> {
  const now = new Date();
  const event = await db.$transaction(async (tx) => {
    const { count } = await tx.campaignRecipient.updateMany({
      where: { id: target.recipientId, unsubscribedAt: null },
      data: { unsubscribedAt: now },
    });
    await tx.suppression.upsert({
      where: { userId_email: { userId: target.userId, email: target.email } },
      create: {
        userId: target.userId,
        email: target.email,
        reason: "unsubscribed",
        detail: target.campaignName.slice(0, 500),
      },
      update: {},
    });
    if (count === 0) return null;
    const unsubscribed = await unsubscribedEventFor(target, tx);
    await writeWebhookEvents(tx, [unsubscribed]);
    return unsubscribed;
  });
  announceWebhookEvents([event]);
}
