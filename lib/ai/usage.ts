import "server-only";
import { metrics } from "@/lib/observability/metrics";
import { ApiError } from "@/lib/api/errors";
import { TtlCache } from "@/lib/cache/ttl-cache";
import { db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { limits } from "@/lib/rate-limit/limits";

export type AiFeature =
  | "draft"
  | "rewrite"
  | "subjects"
  | "check"
  | "transcribe"
  | "template"
  | "template_subjects"
  | "personalise";
export type TokenUsage = { promptTokens: number; completionTokens: number };

export const AI_ALLOWANCE_USED = "You have used today's AI allowance. It renews at midnight UTC.";

/** 429 (with Retry-After) when the user is over the per-minute rate or today's token budget. */
export async function assertAiAllowed(userId: string): Promise<void> {
  await limits.ai.consumeOrThrow(userId, "You are using AI very quickly. Wait a moment and try again.");
  await assertAiBudgetLeft(userId);
}

/**
 * 429 when today's token budget is used up. Alone (without the per-minute rate, which paces a person's clicks)
 * for work that runs on its own, such as a campaign's opening lines: it is bounded by the budget.
 */
export async function assertAiBudgetLeft(userId: string): Promise<void> {
  const used = await tokensUsedTodayCached(userId);
  if (used >= env.AI_DAILY_TOKEN_BUDGET) {
    const midnight = new Date();
    midnight.setUTCHours(24, 0, 0, 0);
    throw new ApiError("rate_limited", AI_ALLOWANCE_USED, {
      retryAfterSeconds: (midnight.getTime() - Date.now()) / 1000,
    });
  }
}

/**
 * Adds a finished request's tokens to the user's day, and to the metrics with its outcome and, given when it
 * started, its duration.
 */
export async function recordAiUsage(
  userId: string,
  feature: AiFeature,
  usage: TokenUsage,
  observed: { outcome?: "completed" | "error" | "cancelled"; startedAt?: number } = {},
): Promise<void> {
  metrics.aiRequests.inc({ feature, outcome: observed.outcome ?? "completed" });
  metrics.aiTokens.inc({ kind: "prompt" }, usage.promptTokens);
  metrics.aiTokens.inc({ kind: "completion" }, usage.completionTokens);
  if (observed.startedAt !== undefined) {
    metrics.aiDuration.observe({ feature }, (performance.now() - observed.startedAt) / 1000);
  }
  const day = today();
  const cached = usedToday.get(userId);
  if (cached?.day === day) cached.tokens += usage.promptTokens + usage.completionTokens;
  await db.aiUsage.upsert({
    where: { userId_day_feature: { userId, day, feature } },
    create: { userId, day, feature, requests: 1, ...usage },
    update: {
      requests: { increment: 1 },
      promptTokens: { increment: usage.promptTokens },
      completionTokens: { increment: usage.completionTokens },
    },
  });
}

// Summing the day's usage before every request put a query ahead of the first token. The sum is read at most
// every 10 s per user and kept up to date here as requests finish; from 90 % of the budget on it is re-read every
// time, so the budget itself holds (other processes' last seconds of use at worst, as with concurrent requests).
type DayUsage = { day: string; tokens: number };
const g = globalThis as unknown as { securevaultAiUsage?: TtlCache<DayUsage> };
const usedToday: TtlCache<DayUsage> = (g.securevaultAiUsage ??= new TtlCache<DayUsage>(10_000));

async function tokensUsedTodayCached(userId: string): Promise<number> {
  const day = today();
  const cached = await usedToday.getOrLoad(userId, async () => ({
    day,
    tokens: await tokensUsedToday(userId),
  }));
  if (cached && cached.day === day && cached.tokens < env.AI_DAILY_TOKEN_BUDGET * 0.9) return cached.tokens;
  const fresh = { day, tokens: await tokensUsedToday(userId) };
  usedToday.set(userId, fresh);
  return fresh.tokens;
}

export async function tokensUsedToday(userId: string): Promise<number> {
  const sum = await db.aiUsage.aggregate({
    where: { userId, day: today() },
    _sum: { promptTokens: true, completionTokens: true },
  });
  return (sum._sum.promptTokens ?? 0) + (sum._sum.completionTokens ?? 0);
}

export async function usageSummary(userId: string) {
  const rows = await db.aiUsage.findMany({ where: { userId }, orderBy: { day: "desc" }, take: 60 });
  return {
    todayTokens: await tokensUsedToday(userId),
    dailyBudget: env.AI_DAILY_TOKEN_BUDGET,
    days: rows.map((r) => ({
      day: r.day,
      feature: r.feature,
      requests: r.requests,
      tokens: r.promptTokens + r.completionTokens,
    })),
  };
}

/** When the upstream reports no usage, a rough count (about four characters a token) still feeds the budget. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

/** Counts an AI request that failed before the model answered. */
export function countAiFailure(feature: AiFeature): void {
  metrics.aiRequests.inc({ feature, outcome: "error" });
}
