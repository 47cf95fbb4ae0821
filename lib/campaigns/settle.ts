import "server-only";
// A running campaign's outcomes, copied back from its messages to its ledger rows, and its end: the second half
// of the feeder's pass (lib/campaigns/feeder.ts queues the rows; this settles them).
import { countsOf } from "@/lib/campaigns/campaigns";
import { db } from "@/lib/db/client";
import { sqlTimestamp } from "@/lib/db/dialect";
import { log } from "@/lib/log/logger";
import { notifyCampaignFinished } from "@/lib/push/outcome-notifications";
import { campaignEventFor } from "@/lib/webhooks/outcome-events";
import { announceWebhookEvents, writeWebhookEvents } from "@/lib/webhooks/outbox";

const FINAL_MESSAGE_STATUSES = ["sent", "partial", "failed", "cancelled"];

/**
 * Copies settled messages' outcomes onto their rows (sent, failed with the server's reason, cancelled), and
 * puts an address the server refused for good on the user's suppression list (a hard bounce).
 */
export async function settleCampaign(campaignId: string, userId: string): Promise<void> {
  // Sent (or partly sent: a campaign message has one recipient) — nearly every row — in one statement.
  await db.$executeRaw`
    UPDATE "CampaignRecipient" SET "status" = 'sent', "reason" = NULL, "updatedAt" = ${sqlTimestamp(new Date())}
    WHERE "campaignId" = ${campaignId} AND "status" = 'queued' AND EXISTS (
      SELECT 1 FROM "Message" m WHERE m."id" = "CampaignRecipient"."messageId" AND m."status" IN ('sent', 'partial'))`;
  // The rest, row by row with their reasons: failed, cancelled, or their message gone.
  for (;;) {
    const rows = await db.campaignRecipient.findMany({
      where: {
        campaignId,
        status: "queued",
        OR: [{ messageId: null }, { message: { status: { in: FINAL_MESSAGE_STATUSES } } }],
      },
      select: {
        id: true,
        email: true,
        message: { select: { status: true, lastError: true, smtpResponse: true, rejected: true } },
      },
      take: 2000,
    });
    if (rows.length === 0) return;
    const groups = new Map<string, { status: string; reason: string | null; ids: string[] }>();
    const bounced: { email: string; detail: string }[] = [];
    for (const row of rows) {
      const m = row.message;
      const status = !m || m.status === "cancelled" ? "cancelled" : m.status === "failed" ? "failed" : "sent";
      const reason =
        status === "cancelled"
          ? "The message was cancelled."
          : status === "failed"
            ? (m?.lastError ?? m?.smtpResponse ?? "Refused by the server.")
            : null;
      const key = `${status}\u0000${reason ?? ""}`;
      const group = groups.get(key) ?? { status, reason, ids: [] };
      group.ids.push(row.id);
      groups.set(key, group);
      const rejected = (m?.rejected as string[] | null) ?? [];
      if (status === "failed" && rejected.some((a) => a.toLowerCase() === row.email)) {
        bounced.push({ email: row.email, detail: (reason ?? "").slice(0, 500) });
      }
    }
    await db.$transaction(async (tx) => {
      for (const { status, reason, ids } of groups.values()) {
        await tx.campaignRecipient.updateMany({
          where: { id: { in: ids }, status: "queued" },
          data: { status, reason },
        });
      }
      for (const { email, detail } of bounced) {
        await tx.suppression.upsert({
          where: { userId_email: { userId, email } },
          create: { userId, email, reason: "bounced", detail },
          update: {},
        });
      }
    });
    if (rows.length < 2000) return;
  }
}

/**
 * Marks a running campaign done once no row is pending or queued, with its "campaign.finished" event, and tells
 * the user's devices. True when the campaign is no longer running (done now, or stopped meanwhile).
 */
export async function finishIfDone(campaignId: string, now: Date): Promise<boolean> {
  // Whether any row is open, not how many: a count would walk every pending row on each pass.
  const open = await db.campaignRecipient.findFirst({
    where: { campaignId, status: { in: ["pending", "queued"] } },
    select: { id: true },
  });
  if (open) return false;
  // "campaign.finished" is committed with the status, only by the update that made it done.
  const event = await db.$transaction(async (tx) => {
    const { count } = await tx.campaign.updateMany({
      where: { id: campaignId, status: "running" },
      data: { status: "done", finishedAt: now },
    });
    if (count === 0) return null;
    const campaign = await tx.campaign.findUniqueOrThrow({ where: { id: campaignId } });
    const finished = await campaignEventFor("campaign.finished", campaign, tx);
    await writeWebhookEvents(tx, [finished]);
    return { finished, campaign };
  });
  if (!event) return true;
  announceWebhookEvents([event.finished]);
  // One notification for the whole campaign, detached: a slow push service never holds up the feeder.
  const { id, userId, name } = event.campaign;
  void countsOf(id)
    .then((counts) => notifyCampaignFinished({ id, userId, name, counts }))
    .catch((error: unknown) => log.warn({ err: error, campaignId: id }, "campaign push failed"));
  return true;
}
