import { describe, expect, it } from "vitest";
import { timelineOf } from "@/lib/messages/timeline";

const base = {
  to: [{ address: "a@acme.test" }, { address: "b@acme.test" }],
  cc: [],
  bcc: [{ address: "c@acme.test" }],
  attempts: 0,
  createdAt: new Date("2026-11-25T08:00:00Z"),
  updatedAt: new Date("2026-11-25T08:00:00Z"),
  sentAt: null,
  smtpResponse: null,
  accepted: null,
  rejected: null,
  events: [],
};

describe("a message's timeline", () => {
  it("starts with the queued step, counting every recipient", () => {
    expect(timelineOf({ ...base, status: "queued" })).toEqual([
      { type: "queued", detail: "Queued for 3 recipient(s)", at: "2026-11-25T08:00:00.000Z" },
    ]);
  });

  it("shows the attempt under way, numbered, at the time it was claimed", () => {
    const timeline = timelineOf({
      ...base,
      status: "sending",
      attempts: 2,
      updatedAt: new Date("2026-11-25T08:05:00Z"),
      events: [{ type: "retry", detail: "Connection refused.", createdAt: new Date("2026-11-25T08:01:00Z") }],
    });
    expect(timeline.map((e) => [e.type, e.detail, e.at])).toEqual([
      ["queued", "Queued for 3 recipient(s)", "2026-11-25T08:00:00.000Z"],
      ["retry", "Connection refused.", "2026-11-25T08:01:00.000Z"],
      ["sending", "Attempt 2: connecting to the mail server", "2026-11-25T08:05:00.000Z"],
    ]);
  });

  it("ends a delivered message with the server's reply and the recipients it rejected", () => {
    const timeline = timelineOf({
      ...base,
      status: "sent",
      attempts: 1,
      sentAt: new Date("2026-11-25T08:00:02Z"),
      smtpResponse: "250 2.0.0 OK queued as X1",
      accepted: ["a@acme.test", "c@acme.test"],
      rejected: ["b@acme.test"],
    });
    expect(timeline.at(-1)).toEqual({
      type: "sent",
      detail: "Accepted for 2, rejected for b@acme.test. 250 2.0.0 OK queued as X1",
      at: "2026-11-25T08:00:02.000Z",
    });
  });

  it("does not repeat a sent step that an older version stored as an entry", () => {
    const stored = { type: "sent", detail: "Accepted: 250 OK", createdAt: new Date("2026-11-25T08:00:02Z") };
    const timeline = timelineOf({
      ...base,
      status: "sent",
      sentAt: stored.createdAt,
      smtpResponse: "250 OK",
      accepted: ["a@acme.test"],
      rejected: [],
      events: [stored],
    });
    expect(timeline.map((e) => e.type)).toEqual(["queued", "sent"]);
  });
});
