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
  recipientOutcomes: null,
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

  it("ends a message from before per-recipient outcomes with the server's reply and the recipients it refused", () => {
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
      detail: "Accepted for a@acme.test, c@acme.test; refused for b@acme.test. 250 2.0.0 OK queued as X1",
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

  it("ends a partly delivered message with each refused recipient and the server's reason", () => {
    const timeline = timelineOf({
      ...base,
      status: "partial",
      attempts: 2,
      sentAt: new Date("2026-11-25T08:03:00Z"),
      smtpResponse: "250 2.0.0 OK",
      recipientOutcomes: [
        { address: "a@acme.test", state: "accepted", attempt: 1 },
        { address: "b@acme.test", state: "accepted", attempt: 2 },
        {
          address: "c@acme.test",
          state: "refused",
          reply: { code: 550, enhanced: "5.1.1", text: "Mailbox does not exist" },
          attempt: 1,
        },
      ],
    });
    expect(timeline.at(-1)).toEqual({
      type: "partial",
      detail:
        "Accepted for a@acme.test, b@acme.test; refused for c@acme.test: 550 5.1.1 Mailbox does not exist. 250 2.0.0 OK",
      at: "2026-11-25T08:03:00.000Z",
    });
  });
});
