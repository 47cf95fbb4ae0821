import { describe, expect, it } from "vitest";
import {
  HALF_LIFE_DAYS,
  interactionScore,
  matchesPrefix,
  mergeContacts,
  rankContacts,
  type Contact,
  type Interaction,
} from "@/lib/contacts/ranking";

const NOW = Date.UTC(2026, 10, 27);
const daysAgo = (d: number) => NOW - d * 24 * 60 * 60 * 1000;
const sent = (address: string, days: number, name?: string): Interaction => ({
  address,
  name,
  at: daysAgo(days),
  kind: "sent",
});

describe("interactionScore", () => {
  it.each([
    ["sent today", "sent", 0, 1],
    ["received today", "received", 0, 0.5],
    ["sent one half-life ago", "sent", HALF_LIFE_DAYS, 0.5],
    ["sent three half-lives ago", "sent", 3 * HALF_LIFE_DAYS, 0.125],
    ["dated in the future (clock skew)", "sent", -2, 1],
  ] as const)("%s → %s", (_label, kind, days, score) => {
    expect(interactionScore(kind, daysAgo(days), NOW)).toBeCloseTo(score, 10);
  });
});

describe("rankContacts", () => {
  it.each([
    [
      "more often, equally recent",
      [sent("a@x.io", 1), sent("a@x.io", 1), sent("b@x.io", 1)],
      ["a@x.io", "b@x.io"],
    ],
    ["more recent, equally often", [sent("a@x.io", 60), sent("b@x.io", 2)], ["b@x.io", "a@x.io"]],
    [
      "one today over four from three months ago",
      [...Array(4).fill(sent("old@x.io", 90)), sent("new@x.io", 0)],
      ["new@x.io", "old@x.io"],
    ],
    [
      "ten from three months ago over one today",
      [...Array(10).fill(sent("old@x.io", 90)), sent("new@x.io", 0)],
      ["old@x.io", "new@x.io"],
    ],
    [
      "sent to over received from, same day",
      [{ address: "r@x.io", at: daysAgo(1), kind: "received" as const }, sent("s@x.io", 1)],
      ["s@x.io", "r@x.io"],
    ],
  ])("ranks %s first", (_label, interactions, order) => {
    expect(rankContacts(interactions, NOW).map((c) => c.address)).toEqual(order);
  });

  it("folds addresses without case, counts every message and keeps the latest name", () => {
    const [c] = rankContacts(
      [sent("Ann@X.io", 5, "Ann"), sent("ann@x.io", 1, "Ann Lee"), sent("ANN@x.io", 3)],
      NOW,
    );
    expect(c).toMatchObject({ address: "ann@x.io", name: "Ann Lee", count: 3, lastAt: daysAgo(1) });
  });
});

describe("matchesPrefix", () => {
  const ann = { address: "ann.lee@example.com", name: "Ann Lee" };
  it.each([
    ["an", true],
    ["ANN.L", true],
    ["exam", true],
    ["lee", true],
    ["  ", true],
    ["nn", false],
    ["ample", false],
    ["bob", false],
  ])("%j → %s", (prefix, matches) => {
    expect(matchesPrefix(ann, prefix)).toBe(matches);
  });
});

describe("mergeContacts", () => {
  const c = (address: string, score: number, lastAt: number, name?: string): Contact => ({
    address,
    name,
    score,
    count: 1,
    lastAt,
  });
  it("joins this device's list with the server's: one entry per address, higher score and later time", () => {
    const merged = mergeContacts(
      [c("a@x.io", 3, 20, "A (device)"), c("local@x.io", 0.1, 5)],
      [c("A@x.io", 2, 10, "A"), c("b@x.io", 1, 1)],
      10,
    );
    expect(merged).toEqual([
      { address: "a@x.io", name: "A (device)", score: 3, count: 1, lastAt: 20 },
      { address: "b@x.io", name: undefined, score: 1, count: 1, lastAt: 1 },
      { address: "local@x.io", name: undefined, score: 0.1, count: 1, lastAt: 5 },
    ]);
  });

  it("keeps the best `limit`", () => {
    expect(
      mergeContacts([c("a@x.io", 1, 1)], [c("b@x.io", 2, 1), c("c@x.io", 3, 1)], 2).map((x) => x.address),
    ).toEqual(["c@x.io", "b@x.io"]);
  });
});
