import "server-only";
// Pausing a running campaign, by its user or by the feeder itself (the AI allowance ran out: lib/campaigns/
// ai-opening.ts). Pausing takes back the campaign's messages no worker has claimed yet (deleted, their rows
// pending again, in one transaction); a message already claimed goes on and settles as usual.
import { db } from "@/lib/db/client";
import { onPostgres } from "@/lib/db/dialect";
import { Prisma } from "@/lib/generated/prisma/client";
import { campaignEventFor, type CampaignEventType } from "@/lib/webhooks/outcome-events";
import { announceWebhookEvents, writeWebhookEvents, type OutboxEvent } from "@/lib/webhooks/outbox";

/**
 * Running → paused, with the reason when the campaign paused itself (null when its user paused it). False when
 * it was not running.
 */
export async function pauseRunningCampaign(
  campaign: { id: string; userId: string; name: string },
  reason: string | null,
): Promise<boolean> {
  const event = await db.$transaction(async (tx) => {
    const changed = await tx.campaign.updateMany({
      where: { id: campaign.id, userId: campaign.userId, status: "running" },
      data: { status: "paused", pausedReason: reason },
    });
    if (changed.count === 0) return false;
    await takeBackUnclaimed(tx, campaign.id, { status: "pending", reason: null });
    return commitCampaignEvent(tx, "campaign.paused", { ...campaign, status: "paused" });
  });
  if (event === false) return false;
  announceWebhookEvents([event]);
  return true;
}

/** The campaign's webhook event, written in the transaction that changed its status (lib/webhooks/outbox.ts). */
export async function commitCampaignEvent(
  tx: Prisma.TransactionClient,
  type: CampaignEventType,
  campaign: { id: string; userId: string; name: string; status: string },
): Promise<OutboxEvent | null> {
  const event = await campaignEventFor(type, campaign, tx);
  await writeWebhookEvents(tx, [event]);
  return event;
}

/**
 * The campaign's queued messages that no worker has claimed (never attempted): deleted, and their rows set to
 * `to`. Locked first on PostgreSQL, so a claim running now skips them (FOR UPDATE SKIP LOCKED) rather than
 * sending a message this deletes; on SQLite the transaction holds the one write lock.
 */
export async function takeBackUnclaimed(
  tx: Prisma.TransactionClient,
  campaignId: string,
  to: { status: "pending" | "cancelled"; reason: string | null },
): Promise<void> {
  const lock = onPostgres ? Prisma.sql`FOR UPDATE OF m` : Prisma.empty;
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT m."id" FROM "Message" m JOIN "CampaignRecipient" r ON r."messageId" = m."id"
    WHERE r."campaignId" = ${campaignId} AND r."status" = 'queued' AND m."status" = 'queued' AND m."attempts" = 0
    ${lock}`;
  for (let i = 0; i < rows.length; i += 1000) {
    const ids = rows.slice(i, i + 1000).map((r) => r.id);
    await tx.message.deleteMany({ where: { id: { in: ids }, status: "queued", attempts: 0 } });
    // Only the rows whose message is gone: one claimed since the SELECT above stays and settles as usual.
    const kept = new Set(
      (await tx.message.findMany({ where: { id: { in: ids } }, select: { id: true } })).map((m) => m.id),
    );
    const taken = ids.filter((id) => !kept.has(id));
    await tx.campaignRecipient.updateMany({ where: { id: { in: taken } }, data: { ...to, messageId: null } });
  }
}
