import { describe, expect, it } from "vitest";
import {
  applyAttempt,
  describeOutcomes,
  gaveUpReason,
  messageStatusOf,
  parseSmtpReply,
  pendingRecipients,
  refusePending,
  type RecipientOutcome,
  type RecipientState,
} from "@/lib/delivery/recipient-outcomes";
import { recipientViews } from "@/lib/messages/message-view";
import { describeOutcome } from "@/lib/push/outcome-text";

const all = ["a@x.test", "b@y.test", "c@z.test"];
const outcomes = (...states: (RecipientState | undefined)[]): RecipientOutcome[] =>
  states.flatMap((state, i) => (state ? [{ address: all[i]!, state, attempt: 1 }] : []));
const busy = { code: 450, enhanced: "4.2.0", text: "Mailbox busy" };
const gone = { code: 550, enhanced: "5.1.1", text: "Mailbox does not exist" };

describe("a message's status from its recipients", () => {
  it.each<[string, (RecipientState | undefined)[], ReturnType<typeof messageStatusOf>]>([
    ["all accepted", ["accepted", "accepted", "accepted"], "sent"],
    ["one refused, the rest accepted", ["accepted", "refused", "accepted"], "partial"],
    ["all refused", ["refused", "refused", "refused"], "failed"],
    ["one deferred", ["accepted", "deferred", "accepted"], "retrying"],
    ["one unknown", ["accepted", "accepted", "unknown"], "retrying"],
    ["one deferred and one refused", ["refused", "deferred", "accepted"], "retrying"],
    ["one never tried", ["accepted", "accepted", undefined], "retrying"],
    ["refused and deferred, none accepted", ["refused", "deferred", "refused"], "retrying"],
  ])("%s → %s", (_name, states, status) => {
    expect(messageStatusOf(all, outcomes(...states))).toBe(status);
  });
});

describe("pending recipients", () => {
  it.each<[string, RecipientOutcome[] | null, string[]]>([
    ["nothing stored: every recipient", null, all],
    ["accepted and refused ones are done", outcomes("accepted", "deferred", "refused"), ["b@y.test"]],
    ["unknown ones go again", outcomes("unknown", "accepted", "accepted"), ["a@x.test"]],
    ["never tried ones go", outcomes("accepted"), ["b@y.test", "c@z.test"]],
  ])("%s", (_name, stored, pending) => {
    expect(pendingRecipients(all, stored)).toEqual(pending);
  });
});

describe("an attempt's outcomes", () => {
  it("keeps what earlier attempts settled and updates only the recipients tried", () => {
    const first = applyAttempt(all, null, {
      attempt: 1,
      accepted: ["a@x.test"],
      rejected: [
        { address: "b@y.test", reply: busy },
        { address: "c@z.test", reply: gone },
      ],
      unknown: [],
    });
    expect(first.map((o) => [o.address, o.state])).toEqual([
      ["a@x.test", "accepted"],
      ["b@y.test", "deferred"],
      ["c@z.test", "refused"],
    ]);
    const second = applyAttempt(all, first, {
      attempt: 2,
      accepted: ["b@y.test"],
      rejected: [],
      unknown: [],
    });
    expect(second).toEqual([
      { address: "a@x.test", state: "accepted", attempt: 1 },
      { address: "b@y.test", state: "accepted", attempt: 2 },
      { address: "c@z.test", state: "refused", reply: gone, attempt: 1 },
    ]);
    expect(messageStatusOf(all, second)).toBe("partial");
  });

  it("turns the pending ones into refused with the last reply when the retries run out", () => {
    const stored = applyAttempt(all, null, {
      attempt: 8,
      accepted: ["a@x.test"],
      rejected: [{ address: "b@y.test", reply: busy }],
      unknown: ["c@z.test"],
    });
    const ended = refusePending(all, stored, 8, (last) => gaveUpReason(8, last, "no final reply"));
    expect(ended.map((o) => [o.state, o.reason])).toEqual([
      ["accepted", undefined],
      ["refused", "gave up after 8 attempts: 450 4.2.0 Mailbox busy"],
      ["refused", "gave up after 8 attempts: no final reply from the server after the message was sent"],
    ]);
    expect(messageStatusOf(all, ended)).toBe("partial");
  });
});

describe("the words shown for outcomes", () => {
  it.each([
    ["550 5.1.1 Mailbox does not exist", { code: 550, enhanced: "5.1.1", text: "Mailbox does not exist" }],
    [
      "450-4.2.0 Mailbox busy\n450 4.2.0 try later",
      { code: 450, enhanced: "4.2.0", text: "Mailbox busy try later" },
    ],
    ["554 no such user", { code: 554, enhanced: null, text: "no such user" }],
  ])("parses %j", (reply, parts) => {
    expect(parseSmtpReply(reply)).toEqual(parts);
  });

  it("names each recipient with the state and the server's reason", () => {
    const text = describeOutcomes(
      applyAttempt(all, null, {
        attempt: 1,
        accepted: ["a@x.test"],
        rejected: [
          { address: "b@y.test", reply: busy },
          { address: "c@z.test", reply: gone },
        ],
        unknown: [],
      }),
    );
    expect(text).toBe(
      "Accepted for a@x.test; deferred for b@y.test (450 4.2.0 Mailbox busy); " +
        "refused for c@z.test: 550 5.1.1 Mailbox does not exist",
    );
  });

  it.each([
    [
      "partly delivered",
      {
        kind: "delivered" as const,
        accepted: ["a@x.test"],
        total: 2,
        refused: [{ address: "b@y.test", reason: "Mailbox does not exist" }],
      },
      { title: "Delivered to 1 of 2 — b@y.test refused: Mailbox does not exist", body: "Hello" },
    ],
    [
      "every recipient refused",
      {
        kind: "failed" as const,
        accepted: [],
        total: 2,
        refused: [
          { address: "a@x.test", reason: "Mailbox does not exist" },
          { address: "b@y.test", reason: "Mailbox does not exist" },
        ],
      },
      { title: "Not delivered to a@x.test, b@y.test: Mailbox does not exist", body: "Hello" },
    ],
  ])("a push notification for a message %s", (_name, outcome, text) => {
    expect(describeOutcome({ subject: "Hello", reason: null, attempts: 1, ...outcome })).toEqual(text);
  });
});

describe("each recipient's state as the API shows it", () => {
  const message = {
    to: [{ address: "a@x.test" }],
    cc: [{ address: "b@y.test" }],
    bcc: [{ address: "a@x.test" }],
    lastError: null,
    recipientOutcomes: null,
    rejected: null,
  };
  it.each<[string, Partial<Parameters<typeof recipientViews>[0]>, [string, string, string | null][]]>([
    [
      "queued: waiting",
      { status: "queued" },
      [
        ["a@x.test", "pending", null],
        ["b@y.test", "pending", null],
      ],
    ],
    [
      "sent with nothing stored: all accepted",
      { status: "sent" },
      [
        ["a@x.test", "accepted", null],
        ["b@y.test", "accepted", null],
      ],
    ],
    [
      "sent before outcomes were stored, with a refusal",
      { status: "sent", rejected: ["b@y.test"] },
      [
        ["a@x.test", "accepted", null],
        ["b@y.test", "refused", null],
      ],
    ],
    [
      "failed as a whole: every recipient with the message's reason",
      { status: "failed", lastError: "Timed out" },
      [
        ["a@x.test", "refused", "Timed out"],
        ["b@y.test", "refused", "Timed out"],
      ],
    ],
    [
      "stored outcomes win; one never tried is waiting",
      {
        status: "queued",
        recipientOutcomes: [{ address: "a@x.test", state: "deferred", reply: busy, attempt: 1 }],
      },
      [
        ["a@x.test", "deferred", "450 4.2.0 Mailbox busy"],
        ["b@y.test", "pending", null],
      ],
    ],
  ])("%s", (_name, change, expected) => {
    const views = recipientViews({ ...message, status: "queued", ...change });
    expect(views.map((v) => [v.address, v.state, v.reason])).toEqual(expected);
  });
});
