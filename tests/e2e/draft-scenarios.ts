// Drafts on every device, as a user meets them: the same steps run on desktop (drafts-sync.spec.ts) and on a
// phone (drafts-sync-mobile.spec.ts). Two browser contexts are two devices of one account.
import { expect, type Browser, type BrowserContext, type Page, type TestInfo } from "@playwright/test";
import { PASSWORD, signUp } from "./helpers";
import { goOffline, serverMessages, writeMessage } from "./offline-helpers";

type ServerDraft = { id: string; revision: number; subject: string; html: string };

/** The account's drafts as the server has them. */
export async function serverDrafts(page: Page): Promise<ServerDraft[]> {
  const res = await page.request.get("/api/drafts");
  expect(res.status()).toBe(200);
  return ((await res.json()) as { drafts: ServerDraft[] }).drafts;
}

/** Waits until the server has a draft with this subject whose body contains `text`. */
export async function expectDraftOnServer(page: Page, subject: string, text = "") {
  await expect
    .poll(
      async () => (await serverDrafts(page)).some((d) => d.subject === subject && d.html.includes(text)),
      {
        timeout: 15_000,
      },
    )
    .toBe(true);
}

/** Another device of the same account: a fresh browser context (same screen size), signed in by the form. */
export async function secondDevice(browser: Browser, info: TestInfo, email: string) {
  const { baseURL, viewport, userAgent, deviceScaleFactor, isMobile, hasTouch } = info.project.use;
  const context = await browser.newContext({
    baseURL,
    viewport,
    userAgent,
    deviceScaleFactor,
    isMobile,
    hasTouch,
  });
  const page = await context.newPage();
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "New message" })).toBeVisible();
  return { context, page };
}

async function openDraftFromList(page: Page, subject: string) {
  await page.goto("/drafts");
  await page.getByTestId("draft-item").filter({ hasText: subject }).click();
  await expect(page.getByLabel("Subject")).toHaveValue(subject);
}

async function typeInBody(page: Page, text: string) {
  const editor = page.getByRole("textbox", { name: "Message body" });
  await editor.click();
  await page.keyboard.press("Control+End");
  await editor.pressSequentially(text);
}

export async function startedHereFinishedThere(page: Page, browser: Browser, info: TestInfo) {
  const email = await signUp(page);
  await writeMessage(page, "colleague@example.com", "Quarterly plan", "Started at the desk.");
  await expectDraftOnServer(page, "Quarterly plan", "Started at the desk.");

  const other = await secondDevice(browser, info, email);
  try {
    await openDraftFromList(other.page, "Quarterly plan");
    await expect(other.page.getByText("colleague@example.com", { exact: true })).toBeVisible();
    await expect(other.page.getByRole("textbox", { name: "Message body" })).toContainText(
      "Started at the desk.",
    );
    await typeInBody(other.page, " Finished on the other device.");
    await other.page.keyboard.press("Control+Enter");
    await expect(other.page.getByText("Queued — sending to colleague@example.com now")).toBeVisible();

    // Sent: gone from the server, and from the first device's Drafts when it looks again.
    await expect.poll(async () => (await serverDrafts(page)).length, { timeout: 15_000 }).toBe(0);
    const sent = await serverMessages(page.request, "Quarterly plan");
    expect(sent).toHaveLength(1);
    await page.goto("/drafts");
    await expect(page.getByText("No drafts.")).toBeVisible();
  } finally {
    await other.context.close();
  }
}

export async function offlineEditSyncsOnReconnect(page: Page, context: BrowserContext) {
  await signUp(page);
  await writeMessage(page, "train@example.com", "Travel notes", "First line.");
  await expectDraftOnServer(page, "Travel notes", "First line.");
  const [before] = await serverDrafts(page);

  await goOffline(context, page);
  await typeInBody(page, " Added without a connection.");
  await expect(page.getByTestId("draft-sync-status")).toHaveAttribute("data-status", "offline");

  await context.setOffline(false);
  await expectDraftOnServer(page, "Travel notes", "Added without a connection.");
  await expect(page.getByTestId("draft-sync-status")).toHaveAttribute("data-status", "synced");
  // Everything written offline went as one save on top of the revision the device last had.
  const [after] = await serverDrafts(page);
  expect(after!.revision).toBe(before!.revision + 1);
}

export async function conflictKeepsBoth(page: Page, browser: Browser, info: TestInfo) {
  const email = await signUp(page);
  await writeMessage(page, "team@example.com", "Launch memo", "Draft one.");
  await expectDraftOnServer(page, "Launch memo", "Draft one.");

  const other = await secondDevice(browser, info, email);
  try {
    await openDraftFromList(other.page, "Launch memo");
    // The other device loses its connection and changes the draft; meanwhile this one changes it too.
    await goOffline(other.context, other.page);
    await typeInBody(other.page, " Words from the phone.");
    await expect(other.page.getByTestId("draft-sync-status")).toHaveAttribute("data-status", "offline");
    await typeInBody(page, " Words from the desk.");
    await expectDraftOnServer(page, "Launch memo", "Words from the desk.");

    await other.context.setOffline(false);
    await expect(other.page.getByText("This draft was also changed on another device.")).toBeVisible({
      timeout: 15_000,
    });
    await expect.poll(async () => (await serverDrafts(page)).length, { timeout: 15_000 }).toBe(2);
    const drafts = await serverDrafts(page);
    const original = drafts.find((d) => d.subject === "Launch memo")!;
    const copy = drafts.find((d) => d.subject === "Launch memo (conflicted copy)")!;
    expect(original.html).toContain("Words from the phone.");
    expect(original.html).not.toContain("Words from the desk.");
    expect(copy.html).toContain("Words from the desk.");

    await other.page.goto("/drafts");
    await expect(other.page.getByTestId("draft-item")).toHaveCount(2);
    await page.goto("/drafts");
    await expect(
      page.getByTestId("draft-item").filter({ hasText: "Launch memo (conflicted copy)" }),
    ).toBeVisible();
    await expect(page.getByTestId("draft-item")).toHaveCount(2);
  } finally {
    await other.context.close();
  }
}

export async function deletedHereGoneThere(page: Page, browser: Browser, info: TestInfo) {
  const email = await signUp(page);
  await writeMessage(page, "nobody@example.com", "Second thoughts", "Never mind.");
  await expectDraftOnServer(page, "Second thoughts", "Never mind.");

  const other = await secondDevice(browser, info, email);
  try {
    await other.page.goto("/drafts");
    await expect(other.page.getByTestId("draft-item").filter({ hasText: "Second thoughts" })).toBeVisible();

    await page.goto("/drafts");
    await page.getByRole("button", { name: "Delete draft Second thoughts" }).click();
    await expect(page.getByText("No drafts.")).toBeVisible();
    await expect.poll(async () => (await serverDrafts(page)).length, { timeout: 15_000 }).toBe(0);

    await other.page.reload();
    await expect(other.page.getByText("No drafts.")).toBeVisible();
  } finally {
    await other.context.close();
  }
}
