import "server-only";
import { db } from "@/lib/db/client";
import { newTimeOrderedId } from "@/lib/db/ids";
import { jsonRows } from "@/lib/db/json-rows";
import { announceDeliveryOutcome, type DeliveryOutcome } from "@/lib/delivery/outcomes";
import { log } from "@/lib/log/logger";
import { metrics } from "@/lib/observability/metrics";
import { outcomeEventFor } from "@/lib/webhooks/outcome-events";
import { announceWebhookEvents, writeWebhookEvents } from "@/lib/webhooks/outbox";

/** How many times a message may interrupt its worker (its lease ran out mid-send) before it is stopped. */
export const MAX_INTERRUPTIONS = 3;

export const QUARANTINE_REASON = `Stopped after it interrupted the worker ${MAX_INTERRUPTIONS} times.`;

/**
 * Fails, with the reason, every message whose lease ran out for the MAX_INTERRUPTIONS-th time: each time
 * before it was retaken and its attempt recorded as "interrupted" (sql/record-interrupted.ts). Something in such a message
 * brings its worker down — a crash, an out-of-memory kill — and taking it again would only do it again, with
 * every other message of that worker waiting each time. Runs before the claims that would retake it; on
 * PostgreSQL concurrent workers each fail a message at most once (the row's status decides).
 */
export async function quarantineRepeatedInterruptions(now: Date): Promise<number> {
  const stopped = await db.$transaction(async (tx) => {
    const rows = await tx.$queryRaw<
      { id: string; userId: string; subject: string; attempts: number | bigint }[]
    >`
      UPDATE "Message" SET "status" = 'failed', "leaseUntil" = NULL, "lastError" = ${QUARANTINE_REASON},
        "updatedAt" = ${now}
      WHERE "status" = 'sending' AND "leaseUntil" < ${now}
        AND (SELECT COUNT(*) FROM "MessageEvent" AS e
             WHERE e."messageId" = "Message"."id" AND e."type" = 'interrupted') >= ${MAX_INTERRUPTIONS - 1}
      RETURNING "id", "userId", "subject", "attempts"`;
    if (rows.length === 0) return null;
    const events = jsonRows(
      { id: "text", messageId: "text", detail: "text", at: "timestamp" },
      rows.map((r) => ({
        id: newTimeOrderedId(now.getTime()),
        messageId: r.id,
        detail: QUARANTINE_REASON,
        at: now,
      })),
    );
    await tx.$executeRaw`
      INSERT INTO "MessageEvent" ("id", "messageId", "type", "detail", "createdAt")
      SELECT v."id", v."messageId", 'failed', v."detail", v."at" FROM ${events} AS v`;
    const outcomes = rows.map((r): DeliveryOutcome => ({
      messageId: r.id,
      userId: r.userId,
      subject: r.subject,
      kind: "failed",
      accepted: [],
      reason: QUARANTINE_REASON,
      attempts: Number(r.attempts),
    }));
    const hooks = await Promise.all(outcomes.map((o) => outcomeEventFor(o, now, tx)));
    await writeWebhookEvents(tx, hooks);
    return { outcomes, hooks };
  });
  if (!stopped) return 0;
  for (const outcome of stopped.outcomes) {
    log.error(
      { messageId: outcome.messageId },
      "message quarantined: it interrupted the worker again and again",
    );
    metrics.deliveries.inc({ outcome: "failed" });
    announceDeliveryOutcome(outcome);
  }
  announceWebhookEvents(stopped.hooks);
  return stopped.outcomes.length;
}
