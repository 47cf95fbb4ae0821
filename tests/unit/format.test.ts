import { describe, expect, it } from "vitest";
import { displayIp, formatRelativeTime } from "@/components/ui/format";

// Local times: the test builds its instants in the machine's own zone, as the browser would.
const now = new Date(2026, 10, 27, 15, 0).getTime();
const at = (y: number, mo: number, d: number, h: number, mi: number) =>
  new Date(y, mo, d, h, mi).toISOString();

describe("formatRelativeTime", () => {
  it.each([
    ["a few seconds ago", new Date(now - 20_000).toISOString(), "just now"],
    ["3 minutes ago", new Date(now - 3 * 60_000).toISOString(), "3 min ago"],
    ["in 10 minutes", new Date(now + 10 * 60_000).toISOString(), "in 10 min"],
    ["2 hours ago", new Date(now - 2 * 3_600_000).toISOString(), "2 h ago"],
    ["in 3 hours", new Date(now + 3 * 3_600_000).toISOString(), "in 3 h"],
  ])("%s", (_name, iso, expected) => {
    expect(formatRelativeTime(iso, now)).toBe(expected);
  });

  it("names today, yesterday and tomorrow with the local time of day", () => {
    expect(formatRelativeTime(at(2026, 10, 27, 7, 5), now)).toMatch(/^today 0?7:05/);
    expect(formatRelativeTime(at(2026, 10, 26, 14, 5), now)).toMatch(/^yesterday /);
    expect(formatRelativeTime(at(2026, 10, 28, 23, 0), now)).toMatch(/^tomorrow /);
  });

  it("gives a date for older times, with the year only when it is not this year", () => {
    expect(formatRelativeTime(at(2026, 2, 12, 9, 0), now)).not.toMatch(/2026/);
    expect(formatRelativeTime(at(2025, 2, 12, 9, 0), now)).toMatch(/2025/);
  });
});

describe("displayIp", () => {
  it.each([
    ["::ffff:127.0.0.1", "127.0.0.1"],
    ["::FFFF:203.0.113.9", "203.0.113.9"],
    ["203.0.113.9", "203.0.113.9"],
    ["2001:db8::1", "2001:db8::1"],
    ["::ffff:abcd", "::ffff:abcd"],
  ])("%s → %s", (ip, shown) => {
    expect(displayIp(ip)).toBe(shown);
  });
});
