import { describe, expect, it } from "vitest";
import { planCampaign } from "@/lib/campaigns/plan";

const start = new Date("2026-12-01T08:00:00Z");
const plan = (messages: number, maxPerSecond: number | null, maxPerDay: number | null, sentLast24h = 0) =>
  planCampaign({ messages, limits: { maxPerSecond, maxPerDay }, sentLast24h, startAt: start });

describe("campaign planner", () => {
  it("a campaign within the day's allowance finishes the same day at the per-second pace", () => {
    const p = plan(400, 2, 500); // Gmail personal
    expect(p.days).toBe(1);
    expect(p.finishAt).toBe(new Date(start.getTime() + (399 / 2) * 1000).toISOString());
    expect(p.summary).toMatch(/^400 messages at 120 a minute at most; about 3 minutes\.$/);
  });

  it("Gmail personal, 2,000 recipients: 500 a day spreads it over 4 days and says so", () => {
    const p = plan(2000, 2, 500);
    expect(p.days).toBe(4);
    // The fourth day's window opens 3 × 24 h after the first message; its 500 go at 2 a second.
    expect(p.finishAt).toBe(new Date(start.getTime() + 3 * 86_400_000 + (499 / 2) * 1000).toISOString());
    expect(p.summary).toMatch(/spread over 4 days/);
  });

  it("Google Workspace (2,000 a day) sends 2,000 in one day", () => {
    expect(plan(2000, 2, 2000).days).toBe(1);
  });

  it("Microsoft 365: 30 a minute and 10,000 a day; 12,000 take two days", () => {
    const p = plan(12_000, 0.5, 10_000);
    expect(p.days).toBe(2);
    expect(p.finishAt).toBe(new Date(start.getTime() + 86_400_000 + (1999 / 0.5) * 1000).toISOString());
    expect(p.summary).toContain("at 30 a minute at most");
  });

  it("what the sender already sent today counts against today", () => {
    const p = plan(300, 2, 500, 400);
    expect(p.days).toBe(2);
    const none = plan(300, 2, 500, 500); // nothing left today: all of it tomorrow
    expect(none.days).toBe(1);
    expect(none.finishAt).toBe(new Date(start.getTime() + 86_400_000 + (299 / 2) * 1000).toISOString());
  });

  it("with no limits it says it goes as fast as the server accepts", () => {
    const p = plan(20_000, null, null);
    expect(p.days).toBe(1);
    expect(p.summary).toContain("as fast as the server accepts them");
  });
});
