import "server-only";
// Hands a running campaign's ledger rows to delivery, a window at a time; their outcomes are copied back, and the
// campaign finished, by lib/campaigns/settle.ts (both in one pass, feedCampaigns).
//
// Exactly once: a row is turned into an ordinary queued Message — whose id is the row's id, whose Message-ID is
// the row's, whose idempotency key is `campaign:<row id>` — by ONE transaction that also marks the row
// "queued", and only if the row was still "pending". A crash before the commit leaves the row pending and no
// Message; after it, the Message exists and the delivery worker's leases take it from there (claimed before its
// bytes leave, the same Message-ID on a retry after a crash). A second feeder racing for the same rows finds
// them no longer pending and rolls back; the unique Message id and idempotency key would refuse a copy anyway.
//
// Pacing: only a window of a campaign's rows is in the outbox at once (ten seconds or so of its sender's
// per-second limit, never more than its day allows), so a pause takes effect at once and the outbox stays
// small; the delivery worker keeps to the sender's limits within it (lib/delivery/sender-limits.ts).
import { campaignMessageId, unsubscribeFooter } from "@/lib/campaigns/unsubscribe";
import type { OpeningsStopped } from "@/lib/campaigns/ai-opening";
import { pauseRunningCampaign } from "@/lib/campaigns/pausing";
import { compiledCampaignTemplate } from "@/lib/campaigns/rendering";
import { db } from "@/lib/db/client";
import { lockRows, sqlTimestamp } from "@/lib/db/dialect";
import { isUniqueViolation } from "@/lib/db/errors";
import { limitsFor } from "@/lib/delivery/sender-limits";
import { wakeDeliveryWorker } from "@/lib/delivery/wake";
import type { Campaign, Sender } from "@/lib/generated/prisma/client";
import { Prisma } from "@/lib/generated/prisma/client";
import { log } from "@/lib/log/logger";
import { insertMessageRows, type NewMessageRow } from "@/lib/messages/insert-batcher";
import { renderTemplate } from "@/lib/templates/render";
import { finishIfDone, settleCampaign } from "@/lib/campaigns/settle";

const MAX_WINDOW = 1000;
const BATCH = 500;
const FIRST_BATCH = 50;
/** Rows rendered between two turns of the event loop, so the worker's sends and claims go on meanwhile. */
const RENDER_SLICE = 50;
/** Rows per statement at most (the UPDATE that marks rows queued takes one parameter a row). */
const MAX_CHUNK = 256;
const DAY_MS = 86_400_000;

type RunningCampaign = Campaign & { sender: Sender | null };

/** What a pass did: rows queued, and whether a campaign's window was too full to top up but drains fast. */
export type FeedPass = { queued: number; waitingForRoom: boolean };

/** One pass over the running campaigns whose start has come: settles outcomes, then queues the next rows. */
export async function feedCampaigns(now = new Date()): Promise<FeedPass> {
  const due = await db.campaign.findMany({
    where: { status: "running", OR: [{ startAt: null }, { startAt: { lte: now } }] },
    include: { sender: true },
    take: 50,
  });
  const pass: FeedPass = { queued: 0, waitingForRoom: false };
  for (const campaign of due) {
    try {
      await settleCampaign(campaign.id, campaign.userId);
      const { queued, waitingForRoom } = await queueNextRows(campaign, now);
      pass.queued += queued;
      pass.waitingForRoom ||= waitingForRoom;
      if (await finishIfDone(campaign.id, now)) queuedAtLastPass.delete(campaign.id);
    } catch (error) {
      log.error({ err: error, campaignId: campaign.id }, "campaign feed failed");
    }
  }
  return pass;
}

/** Feeds one campaign at once (its Start), so the first message does not wait for the worker's next pass. */
export async function feedCampaignNow(campaignId: string): Promise<void> {
  const campaign = await db.campaign.findUnique({ where: { id: campaignId }, include: { sender: true } });
  if (!campaign || campaign.status !== "running") return;
  if (campaign.startAt && campaign.startAt > new Date()) return;
  // A small first batch: rendered and committed in milliseconds, so the first message leaves at once; the
  // worker's feeder queues the rest.
  await queueNextRows(campaign, new Date(), FIRST_BATCH);
}

/**
 * Runs feedCampaigns beside the delivery worker: again soon while it finds rows to queue, every `idleMs`
 * otherwise. Returns a stop function that waits for a pass under way.
 */
export function startCampaignFeeder({
  idleMs,
  busyMs = 20,
}: {
  idleMs: number;
  busyMs?: number;
}): () => Promise<void> {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const pass = () => {
    running = feedCampaigns()
      .catch((error): FeedPass => {
        log.error({ err: error }, "campaign feed failed");
        return { queued: 0, waitingForRoom: false };
      })
      .then(({ queued, waitingForRoom }) => {
        if (!stopped) timer = setTimeout(pass, queued > 0 || waitingForRoom ? busyMs : idleMs);
      });
  };
  timer = setTimeout(pass, 0);
  return async () => {
    stopped = true;
    clearTimeout(timer);
    await running;
  };
}

async function queueNextRows(campaign: RunningCampaign, now: Date, atMost = Infinity): Promise<FeedPass> {
  const sender = campaign.sender;
  if (!sender) {
    await db.campaignRecipient.updateMany({
      where: { campaignId: campaign.id, status: "pending" },
      data: { status: "cancelled", reason: "The campaign's sender was removed." },
    });
    return { queued: 0, waitingForRoom: false };
  }
  const limits = limitsFor(sender);
  const outstanding = await db.campaignRecipient.count({
    where: { campaignId: campaign.id, status: "queued" },
  });
  // About ten seconds of the sender's pace, between 10 and MAX_WINDOW rows.
  const window =
    limits.maxPerSecond === null
      ? MAX_WINDOW
      : Math.min(MAX_WINDOW, Math.max(10, Math.ceil(limits.maxPerSecond * 10)));
  // Without a pace, the window is topped up once a quarter of it is free, not by the few rows that went since
  // the last pass: each top-up is a transaction (a commit, the campaign's row lock, a suppression lookup), and
  // refilling a draining window a handful of rows at a time spent more on those than on rendering. The rows
  // still queued keep delivery busy meanwhile, and the pass comes again soon while the window drains
  // (waitingForRoom); a window held full by messages waiting for a retry is looked at at the idle pace.
  const before = queuedAtLastPass.get(campaign.id) ?? Infinity;
  queuedAtLastPass.set(campaign.id, outstanding);
  if (limits.maxPerSecond === null && outstanding > 0 && window - outstanding < window / 4) {
    return { queued: 0, waitingForRoom: outstanding < before };
  }
  let room = Math.min(atMost, window - outstanding);
  if (limits.maxPerDay !== null && room > 0) {
    const sentToday = await db.message.count({
      where: { senderId: sender.id, sentAt: { gte: new Date(now.getTime() - DAY_MS) } },
    });
    room = Math.min(room, limits.maxPerDay - sentToday - outstanding);
  }
  let queued = 0;
  // Nothing of this campaign in the outbox (it has just started or resumed, or delivery caught up): a small
  // batch first, so delivery has something to send while the larger ones are rendered.
  let batch = outstanding === 0 ? FIRST_BATCH : BATCH;
  while (room > 0) {
    const take = Math.min(room, batch);
    const rows = await db.campaignRecipient.findMany({
      where: { campaignId: campaign.id, status: "pending" },
      orderBy: { position: "asc" },
      take,
      select: ROW_FIELDS,
    });
    if (rows.length === 0) break;
    const { done, stopped } = await queueRows(campaign, sender, rows, now);
    if (done > 0) wakeDeliveryWorker();
    queued += done;
    room -= rows.length;
    if (stopped) {
      // The rows without their AI opening line stay pending: paused with the reason, or tried next pass.
      if (stopped.pause) await pauseRunningCampaign(campaign, stopped.reason);
      else log.warn({ campaignId: campaign.id, reason: stopped.reason }, "campaign opening lines deferred");
      break;
    }
    if (rows.length < take || done === 0) break;
    batch = BATCH;
  }
  queuedAtLastPass.set(campaign.id, outstanding + queued);
  return { queued, waitingForRoom: false };
}

/** Each running campaign's queued rows as its last pass left them (forgotten when it is done). */
const queuedAtLastPass = new Map<string, number>();

const ROW_FIELDS = { id: true, email: true, values: true, messageIdHeader: true, aiOpening: true } as const;
type PendingRow = {
  id: string;
  email: string;
  values: unknown;
  messageIdHeader: string;
  aiOpening: string | null;
};

async function queueRows(
  campaign: RunningCampaign,
  sender: Sender,
  rows: PendingRow[],
  now: Date,
): Promise<{ done: number; stopped: OpeningsStopped | null }> {
  const prepared = await prepareRows(campaign, sender, rows, now);
  try {
    const done = await db.$transaction((tx) => writeQueuedRows(tx, campaign.id, sender, prepared, now));
    return { done, stopped: prepared.stopped };
  } catch (error) {
    // Taken by another feeder (its Messages already hold these ids), or paused or cancelled meanwhile.
    if (error instanceof RowsTakenError || isUniqueViolation(error)) {
      return { done: 0, stopped: prepared.stopped };
    }
    throw error;
  }
}

/**
 * Rows rendered into outbox messages, and the rows that will not go (suppressed, or unfillable) with why. Rows
 * in neither stay pending: their AI opening line could not be had (`stopped` says why).
 */
export type PreparedRows = {
  messages: NewMessageRow[];
  skipped: { id: string; reason: string }[];
  stopped: OpeningsStopped | null;
};

/**
 * The first rows of a campaign about to start, rendered before its Start transaction, which writes them
 * (writeQueuedRows) as it marks the campaign running: the first message can leave as soon as that commits, and
 * no feeder ever sees the campaign running with nothing queued (and races Start for the same rows).
 */
export async function prepareFirstRows(campaign: Campaign, sender: Sender, now: Date): Promise<PreparedRows> {
  const rows = await db.campaignRecipient.findMany({
    where: { campaignId: campaign.id, status: "pending" },
    orderBy: { position: "asc" },
    take: FIRST_BATCH,
    select: ROW_FIELDS,
  });
  return prepareRows(campaign, sender, rows, now);
}

async function prepareRows(
  campaign: Campaign,
  sender: Sender,
  rows: PendingRow[],
  now: Date,
): Promise<PreparedRows> {
  const suppressed = new Map<string, string>();
  for (const chunk of statementChunks(rows)) {
    const found = await db.suppression.findMany({
      where: { userId: campaign.userId, email: { in: chunk.map((r) => r.email) } },
      select: { email: true, reason: true },
    });
    for (const s of found) suppressed.set(s.email, s.reason);
  }
  const template = compiledCampaignTemplate(campaign);
  // Personalised: each row to send needs its opening line (stored, or written now); off, nothing is asked and
  // the AI modules are never loaded into the worker (bench:merge runs with it off).
  const ai = campaign.aiOpeningEnabled ? await import("@/lib/campaigns/ai-opening") : null;
  const openings = ai
    ? await ai.openingLinesFor(
        campaign,
        rows.filter((r) => !suppressed.has(r.email)),
      )
    : null;
  const messages: NewMessageRow[] = [];
  const skipped: { id: string; reason: string }[] = [];
  for (const [index, row] of rows.entries()) {
    // The worker's messages in flight settle, and its next claim runs, between slices of a large batch.
    if (index > 0 && index % RENDER_SLICE === 0) await new Promise<void>((resolve) => setImmediate(resolve));
    const why = suppressed.get(row.email);
    if (why) {
      skipped.push({ id: row.id, reason: `On the suppression list (${why}).` });
      continue;
    }
    const opening = openings?.lines.get(row.id);
    if (openings && opening === undefined) continue;
    const values = row.values as Record<string, string>;
    let rendered;
    try {
      rendered = renderTemplate(
        template,
        opening === undefined || !ai ? values : { ...values, [ai.AI_OPENING_VARIABLE]: opening },
      );
    } catch (error) {
      skipped.push({ id: row.id, reason: `The template could not be filled: ${(error as Error).message}` });
      continue;
    }
    messages.push({
      id: row.id,
      userId: campaign.userId,
      senderId: sender.id,
      idempotencyKey: `campaign:${row.id}`,
      requestHash: `campaign:${campaign.id}`,
      messageIdHeader: campaignMessageId(row.id, sender.fromEmail),
      fromName: sender.fromName,
      fromEmail: sender.fromEmail,
      to: [{ address: row.email }],
      cc: [],
      bcc: [],
      subject: rendered.subject,
      html: rendered.html + unsubscribeFooter(row.id),
      searchText: `${rendered.subject} ${row.email}`.toLowerCase(),
      status: "queued",
      attempts: 0,
      nextAttemptAt: now,
      sendAt: null,
      recipientCount: 1,
      createdAt: now,
    });
  }
  return { messages, skipped, stopped: openings?.stopped ?? null };
}

/**
 * In the caller's transaction: the prepared rows' Messages inserted and the rows marked queued (or skipped),
 * only while the campaign is running and the rows still pending; otherwise RowsTakenError (roll back).
 */
export async function writeQueuedRows(
  tx: Prisma.TransactionClient,
  campaignId: string,
  sender: Sender,
  { messages, skipped }: PreparedRows,
  now: Date,
): Promise<number> {
  // Still running, held so until this commits: a pause (or cancel) that came while these rows were rendered
  // must win, and one that comes now waits and then takes back what this queued.
  const running = await tx.$queryRaw<{ id: string }[]>`
    SELECT "id" FROM "Campaign" WHERE "id" = ${campaignId} AND "status" = 'running' ${lockRows}`;
  if (running.length === 0) throw new RowsTakenError();
  if (messages.length > 0) {
    // The Messages first (the rows will point at them), then the rows, only those still pending. Raw
    // multi-row INSERTs (the send path's own, lib/messages/insert-batcher.ts): Prisma's createMany cost
    // more than rendering the rows.
    for (const chunk of statementChunks(messages)) {
      // A Message with one of these ids exists already: another feeder queued these rows first.
      if ((await insertMessageRows(chunk, tx)).length !== chunk.length) throw new RowsTakenError();
      const marked = await tx.$executeRaw`
        UPDATE "CampaignRecipient" SET "status" = 'queued', "messageId" = "id", "reason" = NULL,
          "updatedAt" = ${sqlTimestamp(now)},
          "messageIdHeader" = '<cm.' || "id" || '@' || ${domainOf(sender.fromEmail)} || '>'
        WHERE "id" IN (${Prisma.join(chunk.map((m) => m.id))}) AND "status" = 'pending'`;
      // Another feeder took some of these rows first: leave them all to it.
      if (marked !== chunk.length) throw new RowsTakenError();
    }
  }
  for (const { id, reason } of skipped) {
    await tx.campaignRecipient.updateMany({
      where: { id, status: "pending" },
      data: { status: "skipped", reason },
    });
  }
  return messages.length;
}

/**
 * `items` cut into runs whose lengths are powers of two (500 → 256, 128, 64, 32, 16, 4), at most MAX_CHUNK. A
 * statement's text depends on how many values it carries, and each distinct text is a prepared statement the
 * database client keeps (with its last parameters); batches of any length made hundreds of them, large ones,
 * and the worker's memory grew with them. Powers of two make at most nine of each.
 */
export function statementChunks<T>(items: T[]): T[][] {
  const chunks: T[][] = [];
  let at = 0;
  while (at < items.length) {
    let size = MAX_CHUNK;
    while (size > items.length - at) size /= 2;
    chunks.push(items.slice(at, at + size));
    at += size;
  }
  return chunks;
}

/** The rows are no longer this feeder's to queue: another took them, or the campaign stopped running. */
export class RowsTakenError extends Error {}

/** The domain campaignMessageId uses: the two must agree, so the ledger holds the Message-ID that went out. */
const domainOf = (fromEmail: string) => campaignMessageId("x", fromEmail).slice("<cm.x@".length, -1);
