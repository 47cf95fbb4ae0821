import { describe, expect, it } from "vitest";
import {
  openNotificationTarget,
  showPushNotification,
  type OutcomeNotificationOptions,
  type WindowClientLike,
} from "@/lib/push/sw-notifications";

const origin = "https://vault.example.com";
const id = "0193a5b2-7c1e-7d2a-9f00-1234567890ab";
const target = `${origin}/messages/${id}`;

type Log = string[];

function fakeWindow(
  log: Log,
  name: string,
  url: string,
  extra: Partial<WindowClientLike> = {},
): WindowClientLike {
  return {
    url,
    focus: async () => void log.push(`focus ${name}`),
    navigate: async (to) => void log.push(`navigate ${name} ${to}`),
    ...extra,
  };
}

function fakeClients(log: Log, windows: WindowClientLike[]) {
  return {
    matchAll: async () => windows,
    openWindow: async (url: string) => void log.push(`open ${url}`),
  };
}

describe("a tap on a delivery notification", () => {
  it.each<[string, (log: Log) => WindowClientLike[], string[], "navigated" | "opened"]>([
    ["no window open: opens one on the message", () => [], [`open ${target}`], "opened"],
    [
      "one window: brings it forward and takes it to the message",
      (log) => [fakeWindow(log, "a", `${origin}/compose`)],
      ["focus a", `navigate a ${target}`],
      "navigated",
    ],
    [
      "the focused window wins over others",
      (log) => [
        fakeWindow(log, "a", `${origin}/sent`),
        fakeWindow(log, "b", `${origin}/compose`, { focused: true }),
      ],
      ["focus b", `navigate b ${target}`],
      "navigated",
    ],
    [
      "already on the message: focused, not reloaded",
      (log) => [fakeWindow(log, "a", target)],
      ["focus a"],
      "navigated",
    ],
    [
      "another site's window is never used",
      (log) => [fakeWindow(log, "x", "https://other.example/messages/1")],
      [`open ${target}`],
      "opened",
    ],
    [
      "focus refused (the tap is no longer fresh): still navigates",
      (log) => [
        fakeWindow(log, "a", `${origin}/sent`, {
          focus: async () => {
            log.push("focus refused");
            throw new Error("InvalidAccessError");
          },
        }),
      ],
      ["focus refused", `navigate a ${target}`],
      "navigated",
    ],
    [
      "a window this worker does not control: opens a new one",
      (log) => [
        fakeWindow(log, "a", `${origin}/sent`, {
          navigate: async () => {
            throw new TypeError("not controlled");
          },
        }),
      ],
      ["focus a", `open ${target}`],
      "opened",
    ],
  ])("%s", async (_name, windows, expected, result) => {
    const log: Log = [];
    await expect(
      openNotificationTarget(fakeClients(log, windows(log)), origin, { url: `/messages/${id}` }),
    ).resolves.toBe(result);
    expect(log).toEqual(expected);
  });

  it.each([
    { url: "https://evil.example/phish" },
    { url: "//evil.example/x" },
    { url: "/messages/a/../../x" },
    null,
  ])("goes to Sent, never elsewhere, when the notification carries %j", async (data) => {
    const log: Log = [];
    await openNotificationTarget(fakeClients(log, []), origin, data);
    expect(log).toEqual([`open ${origin}/sent`]);
  });
});

describe("a push message", () => {
  it("shows one notification per message: tagged with its id, renotifying, with an Open action", async () => {
    const shown: [string, OutcomeNotificationOptions][] = [];
    const registration = {
      showNotification: async (t: string, o: OutcomeNotificationOptions) => void shown.push([t, o]),
    };
    await showPushNotification(registration, {
      v: 1,
      messageId: id,
      outcome: "failed",
      title: "Not delivered: Mailbox does not exist",
      body: "Re: contract",
      url: `/messages/${id}`,
    });
    expect(shown).toEqual([
      [
        "Not delivered: Mailbox does not exist",
        expect.objectContaining({
          body: "Re: contract",
          tag: id,
          renotify: true,
          data: { url: `/messages/${id}`, messageId: id, outcome: "failed" },
          actions: [{ action: "open", title: "Open" }],
        }),
      ],
    ]);
  });

  it("shows one notification per campaign, and a tap opens the campaign's page", async () => {
    const shown: [string, OutcomeNotificationOptions][] = [];
    const registration = {
      showNotification: async (t: string, o: OutcomeNotificationOptions) => void shown.push([t, o]),
    };
    const url = `/campaigns/${id}`;
    await showPushNotification(registration, {
      v: 1,
      campaignId: id,
      outcome: "campaign-finished",
      title: "Campaign “Spring news” finished",
      body: "20 sent",
      url,
    });
    expect(shown).toEqual([
      [
        "Campaign “Spring news” finished",
        expect.objectContaining({
          tag: `campaign:${id}`,
          data: { url, campaignId: id, outcome: "campaign-finished" },
        }),
      ],
    ]);
    const log: Log = [];
    await openNotificationTarget(fakeClients(log, []), origin, shown[0]![1].data);
    expect(log).toEqual([`open ${origin}${url}`]);
  });

  it("still shows a notice for a payload it cannot read", async () => {
    const shown: string[] = [];
    await showPushNotification({ showNotification: async (t) => void shown.push(t) }, "garbage");
    expect(shown).toEqual(["SecureVault"]);
  });
});
