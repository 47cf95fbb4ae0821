import "server-only";
// AI personalisation of a campaign: each row's opening line, written by the model from the row's columns under
// the campaign's fixed instruction, and given to the template as {{ ai_opening }}.
//
// Written once: a line is stored on its ledger row as soon as it arrives (from the preview or the feeder) and
// only where none is stored yet, so a pause, a resume, a crash or a second feeder never asks for it again.
// Never sent without: a row whose line cannot be had stays pending. When the day's AI allowance is used up (or AI
// is not configured, or the service refuses), the feeder pauses the campaign with the reason (lib/campaigns/
// pausing.ts); when the service is only busy, it tries again on its next pass.
import { z } from "zod";
import { completeJson } from "@/lib/ai/complete";
import { openingLineMessages } from "@/lib/ai/prompts";
import { assertAiBudgetLeft } from "@/lib/ai/usage";
import { ApiError } from "@/lib/api/errors";
import { db } from "@/lib/db/client";

/** The variable a template reads the line by. */
export const AI_OPENING_VARIABLE = "ai_opening";
/** Lines asked for at once. */
const CONCURRENCY = 4;

export type OpeningRow = { id: string; values: unknown; aiOpening: string | null };
type Campaign = { id: string; userId: string; aiOpeningInstruction: string };

/** Why the campaign cannot go on with its lines now: pause it with `reason`, or (busy) try again later. */
export type OpeningsStopped = { pause: boolean; reason: string };

const answer = z.object({ opening: z.string().trim().min(1).max(600) });

/**
 * The line of every row given, asked for where none is stored yet (and then stored). Rows whose line could not
 * be had are absent from `lines`; `stopped` says why.
 */
export async function openingLinesFor(
  campaign: Campaign,
  rows: OpeningRow[],
  signal: AbortSignal = AbortSignal.timeout(60_000),
): Promise<{ lines: Map<string, string>; stopped: OpeningsStopped | null }> {
  const lines = new Map<string, string>();
  let missing: OpeningRow[] = [];
  for (const row of rows) {
    if (row.aiOpening !== null) lines.set(row.id, row.aiOpening);
    else missing.push(row);
  }
  if (missing.length === 0) return { lines, stopped: null };
  // One writer of a campaign's lines per process: a second pass (the worker's feeder beside a Resume) leaves
  // these rows to the first rather than paying for the same lines twice.
  if (writing.has(campaign.id)) {
    return { lines, stopped: { pause: false, reason: "Another pass is writing this campaign's lines." } };
  }
  writing.add(campaign.id);
  let stopped: OpeningsStopped | null = null;
  try {
    // Read again under the lock: a pass that finished just now may have written some since these rows were read.
    const stored = await db.campaignRecipient.findMany({
      where: { id: { in: missing.map((r) => r.id) }, aiOpening: { not: null } },
      select: { id: true, aiOpening: true },
    });
    for (const row of stored) lines.set(row.id, row.aiOpening!);
    missing = missing.filter((r) => !lines.has(r.id));
    for (let i = 0; i < missing.length && !stopped; i += CONCURRENCY) {
      const results = await Promise.allSettled(
        missing.slice(i, i + CONCURRENCY).map((row) => openingLineOf(campaign, row, signal)),
      );
      results.forEach((result, j) => {
        if (result.status === "fulfilled") lines.set(missing[i + j]!.id, result.value);
        else stopped ??= stopReasonOf(result.reason);
      });
    }
  } finally {
    writing.delete(campaign.id);
  }
  return { lines, stopped };
}

const writing = new Set<string>();

/** One row's line: the stored one, or a new one stored now (unless another writer stored one first). */
export async function openingLineOf(
  campaign: Campaign,
  row: OpeningRow,
  signal: AbortSignal,
): Promise<string> {
  if (row.aiOpening !== null) return row.aiOpening;
  await assertAiBudgetLeft(campaign.userId);
  const { opening } = await completeJson(
    {
      userId: campaign.userId,
      feature: "personalise",
      messages: openingLineMessages(campaign.aiOpeningInstruction, row.values as Record<string, string>),
      signal,
    },
    answer,
  );
  const line = opening.replace(/\s+/g, " ").slice(0, 300);
  const { count } = await db.campaignRecipient.updateMany({
    where: { id: row.id, aiOpening: null },
    data: { aiOpening: line },
  });
  if (count === 1) return line;
  const stored = await db.campaignRecipient.findUniqueOrThrow({
    where: { id: row.id },
    select: { aiOpening: true },
  });
  return stored.aiOpening ?? line;
}

function stopReasonOf(error: unknown): OpeningsStopped {
  const message = error instanceof ApiError ? error.message : "The AI request failed.";
  if (error instanceof ApiError && error.code === "rate_limited" && /allowance/.test(error.message)) {
    return {
      pause: true,
      reason: `Paused: today's AI allowance is used up, and the remaining rows need their AI opening line. Resume after midnight UTC, or turn personalisation off.`,
    };
  }
  // The service is busy (its own rate limit, or no answer in time): the next pass tries again.
  if (error instanceof ApiError && (error.code === "rate_limited" || error.code === "upstream_timeout")) {
    return { pause: false, reason: message };
  }
  return { pause: true, reason: `Paused: the AI opening lines could not be written (${message})` };
}
