// How long a campaign takes at its sender's limits, and whether it spreads over days. Pure: the figures come
// from lib/delivery/sender-limits.ts (the same limits the delivery worker keeps to) and the sender's last 24 hours.
import type { SenderLimits } from "@/lib/delivery/sender-limits";

/**
 * With no per-second limit, a campaign goes as fast as the server takes it; the estimate assumes this many
 * messages a second (a conservative figure for one remote SMTP server; the sandbox is much faster).
 */
export const UNLIMITED_ESTIMATE_PER_SECOND = 20;

const DAY_MS = 86_400_000;

export type CampaignPlan = {
  messages: number;
  perSecond: number | null;
  perDay: number | null;
  /** Days the campaign touches: 1 when it all fits in the sender's remaining day. */
  days: number;
  startAt: string;
  finishAt: string;
  /** One sentence for the page: how it will go, and why it takes more than a day when it does. */
  summary: string;
};

export function planCampaign(input: {
  messages: number;
  limits: Pick<SenderLimits, "maxPerSecond" | "maxPerDay">;
  /** Messages this sender sent in the last 24 hours (they count against today's limit). */
  sentLast24h: number;
  startAt: Date;
}): CampaignPlan {
  const { messages, limits, startAt } = input;
  const rate = limits.maxPerSecond ?? UNLIMITED_ESTIMATE_PER_SECOND;
  const secondsFor = (n: number) => (n <= 0 ? 0 : (n - 1) / rate);
  let finishMs: number;
  let days = 1;
  if (limits.maxPerDay === null || messages <= Math.max(0, limits.maxPerDay - input.sentLast24h)) {
    finishMs = startAt.getTime() + secondsFor(messages) * 1000;
  } else {
    // Today takes what is left of the rolling 24-hour allowance; each later day a full allowance, starting
    // 24 hours after the day before started (the window rolls from the first message of the day).
    const today = Math.max(0, limits.maxPerDay - input.sentLast24h);
    const rest = messages - today;
    const fullLaterDays = Math.ceil(rest / limits.maxPerDay);
    const lastDayCount = rest - (fullLaterDays - 1) * limits.maxPerDay;
    days = fullLaterDays + (today > 0 ? 1 : 0);
    finishMs = startAt.getTime() + fullLaterDays * DAY_MS + secondsFor(lastDayCount) * 1000;
  }
  const finishAt = new Date(finishMs);
  return {
    messages,
    perSecond: limits.maxPerSecond,
    perDay: limits.maxPerDay,
    days,
    startAt: startAt.toISOString(),
    finishAt: finishAt.toISOString(),
    summary: summaryOf(messages, limits, days, startAt, finishAt),
  };
}

function summaryOf(
  messages: number,
  limits: Pick<SenderLimits, "maxPerSecond" | "maxPerDay">,
  days: number,
  start: Date,
  finish: Date,
): string {
  const count = `${messages.toLocaleString("en")} message${messages === 1 ? "" : "s"}`;
  const pace =
    limits.maxPerSecond === null
      ? "as fast as the server accepts them"
      : `at ${perMinute(limits.maxPerSecond)} a minute at most`;
  const minutes = Math.max(1, Math.round((finish.getTime() - start.getTime()) / 60_000));
  if (days <= 1) return `${count} ${pace}; about ${duration(minutes)}.`;
  return (
    `${count} ${pace}, and ${limits.maxPerDay!.toLocaleString("en")} a day at most: spread over ${days} days, ` +
    `the last one on ${finish.toISOString().slice(0, 16).replace("T", " ")} UTC.`
  );
}

function perMinute(perSecond: number): string {
  const n = perSecond * 60;
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}

function duration(minutes: number): string {
  if (minutes < 60) return `${minutes} minute${minutes === 1 ? "" : "s"}`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return `${hours} h${rest ? ` ${rest} min` : ""}`;
}
