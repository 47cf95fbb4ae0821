import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Browser, type Page, type TestInfo } from "@playwright/test";
import { signUp } from "./helpers";

// Every screen of the app, reached the way a user would have them filled in: one message sent through the
// built-in test mailbox (so Sent, its page, Mailbox and a captured message have content) and one draft.

export type Screen = { name: string; path: string };

export async function prepareScreens(page: Page): Promise<Screen[]> {
  await signUp(page);
  const { senders } = (await (await page.request.get("/api/senders")).json()) as {
    senders: { id: string; kind: string }[];
  };
  const res = await page.request.post("/api/messages", {
    data: {
      idempotencyKey: crypto.randomUUID(),
      senderId: senders.find((s) => s.kind === "sandbox")!.id,
      to: [
        { address: "alexandra.konstantinopoulou@very-long-company-domain.example.com", name: "Alexandra" },
      ],
      subject: "Screens check",
      html: "<p>Hello <strong>there</strong></p>",
    },
  });
  expect(res.status()).toBe(202);
  const messageId = ((await res.json()) as { message: { id: string } }).message.id;
  let mailboxId: string | undefined;
  await expect
    .poll(async () => {
      const page1 = (await (await page.request.get("/api/mailbox")).json()) as { items: { id: string }[] };
      mailboxId = page1.items[0]?.id;
      return mailboxId;
    })
    .toBeTruthy();

  return [
    { name: "Compose", path: "/compose" },
    { name: "Outbox", path: "/outbox" },
    { name: "Drafts", path: "/drafts" },
    { name: "Sent", path: "/sent" },
    { name: "Message", path: `/messages/${messageId}` },
    { name: "Mailbox", path: "/mailbox" },
    { name: "Captured message", path: `/mailbox/${mailboxId}` },
    { name: "Campaigns", path: "/campaigns" },
    ...["senders", "sending", "appearance", "notifications", "ai", "security", "automation", "api-reference"].map((s) => ({
      name: `Settings ${s}`,
      path: `/settings/${s}`,
    })),
  ];
}

/** Screen names in the order prepareScreens lists them, known before any account exists (one test each). */
export const signedInScreenNames = [
  "Compose",
  "Outbox",
  "Drafts",
  "Sent",
  "Message",
  "Mailbox",
  "Captured message",
  "Campaigns",
  ...["senders", "sending", "appearance", "notifications", "ai", "security", "automation", "api-reference"].map((s) => `Settings ${s}`),
];

export const signedOutScreens: Screen[] = [
  { name: "Sign in", path: "/sign-in" },
  { name: "Sign up", path: "/sign-up" },
  { name: "Forgot password", path: "/forgot-password" },
];

/** Opens a screen and waits until its content (not its loading placeholders) shows. */
export async function openScreen(page: Page, screen: Screen) {
  await page.goto(screen.path);
  await expect(page.locator("h1").first()).toBeVisible();
  await expect(page.locator('[aria-busy="true"]')).toHaveCount(0);
  // Lists fill in after their first fetch; relative times after hydration.
  if (screen.path === "/sent") await expect(page.getByTestId("sent-item").first()).toBeVisible();
  if (screen.path === "/mailbox") await expect(page.getByTestId("mailbox-item").first()).toBeVisible();
  if (screen.path === "/settings/security")
    await expect(page.getByTestId("audit-log")).toContainText("Signed in");
}

/** axe-core's serious and critical findings on the page as it is now, as readable lines. */
export async function seriousViolations(page: Page): Promise<string[]> {
  // A message's body is its sender's HTML in a sandboxed frame (components/ui/safe-html-frame.tsx): its language
  // and markup are theirs, not the app's, so the frame is left out (the e2e specs check it has a title).
  const results = await new AxeBuilder({ page })
    .exclude('iframe[title="Message body"]')
    .exclude('iframe[title="Captured message"]')
    .analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

/** A page in a new context with this project's device settings (and, when given, a signed-in state). */
async function newPage(browser: Browser, testInfo: TestInfo, storageState?: string): Promise<Page> {
  const { baseURL, viewport, userAgent, deviceScaleFactor, isMobile, hasTouch } = testInfo.project.use;
  const context = await browser.newContext({
    baseURL,
    viewport,
    userAgent,
    deviceScaleFactor,
    isMobile,
    hasTouch,
    storageState,
  });
  return context.newPage();
}

/**
 * One test per screen: axe-core in the light theme, then in the dark one. One account, signed up once for the
 * file, holds the content the screens show.
 */
export function accessibilitySuite() {
  test.describe("axe-core on every screen", () => {
    let screens: Screen[] = [];
    let statePath = "";

    test.beforeAll(async ({ browser }, testInfo) => {
      testInfo.setTimeout(120_000);
      const page = await newPage(browser, testInfo);
      screens = await prepareScreens(page);
      statePath = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "sv-axe-")), "state.json");
      await page.context().storageState({ path: statePath });
      await page.context().close();
    });

    const check = async (page: Page, screen: Screen) => {
      for (const colorScheme of ["light", "dark"] as const) {
        await page.emulateMedia({ colorScheme });
        await openScreen(page, screen);
        await expect(page.locator("html")).toHaveClass(new RegExp(colorScheme));
        expect(await seriousViolations(page), `${screen.name}, ${colorScheme} theme`).toEqual([]);
      }
    };

    for (const screen of signedOutScreens) {
      test(`${screen.name}: no serious or critical violation, light or dark`, async ({
        browser,
      }, testInfo) => {
        const page = await newPage(browser, testInfo);
        await check(page, screen);
        await page.context().close();
      });
    }
    signedInScreenNames.forEach((name, i) => {
      test(`${name}: no serious or critical violation, light or dark`, async ({ browser }, testInfo) => {
        const page = await newPage(browser, testInfo, statePath);
        await check(page, screens[i]!);
        await page.context().close();
      });
    });
  });
}
