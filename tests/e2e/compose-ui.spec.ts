import { expect, test, type Locator } from "@playwright/test";
import { addRecipient, signUp } from "./helpers";
import {
  goOffline,
  queueWhileOffline,
  signUpAndGoOffline,
  waitForServiceWorker,
  waitForWarmPages,
} from "./offline-helpers";

// Compose on a desktop: what the send notice covers, notices that outlive a fresh start, the link dialog and the
// formatting toolbar's keyboard use. (Phone layout: tests/e2e/mobile-compose.spec.ts.)

test.use({ permissions: ["background-sync"] });

async function box(locator: Locator) {
  const found = await locator.boundingBox();
  expect(found, "element has a box on screen").not.toBeNull();
  return found!;
}

function overlaps(a: { x: number; y: number; width: number; height: number }, b: typeof a): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

test("the Undo bar never covers Send", async ({ page }) => {
  await signUp(page, "Una Undo");
  await page.goto("/settings/sending");
  await page.getByRole("combobox", { name: "Undo send" }).selectOption({ label: "30 seconds" });
  await expect(page.getByText("Undo window: 30 seconds.")).toBeVisible();
  await page.goto("/compose");
  await page.getByLabel("Check before sending").uncheck();

  for (const size of [
    { width: 1280, height: 720 },
    { width: 920, height: 560 },
  ]) {
    await page.setViewportSize(size);
    await addRecipient(page, "To", "desk@example.com");
    await page.getByLabel("Subject").fill(`Undo bar at ${size.width}px`);
    const send = page.getByRole("button", { name: "Send", exact: true });
    // Send as low on the screen as it gets: where a bar at the bottom would meet it.
    await send.scrollIntoViewIfNeeded();
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    await send.click();
    const notice = page.getByTestId("send-notice");
    await expect(notice.getByRole("button", { name: "Undo" })).toBeVisible();
    await expect(send).toHaveText("Send");
    expect(overlaps(await box(notice), await box(send)), `notice clear of Send at ${size.width}px`).toBe(
      false,
    );
    await notice.getByRole("button", { name: "Undo" }).click();
    await expect(page.getByText("Sending undone — the message is back in your draft")).toBeVisible();
    await page.getByRole("button", { name: "Clear" }).click();
  }
});

test("the offline Queued notice stays after Clear and after New message", async ({ page, context }) => {
  await signUpAndGoOffline(page, context);
  await queueWhileOffline(page, "train@example.com", "Kept for later");
  const queued = page.getByText("Queued — will send when online");

  await addRecipient(page, "To", "someone@example.com");
  await page.getByRole("button", { name: "Clear" }).click();
  await expect(page.getByText("someone@example.com", { exact: true })).toHaveCount(0);
  await expect(queued).toBeVisible();

  await page.goto("/compose?new=1");
  await expect(page.getByRole("heading", { name: "New message" })).toBeVisible();
  await expect(queued).toBeVisible();
  await expect(page.getByTestId("send-notice").getByRole("link", { name: "Outbox" })).toBeVisible();
  await context.setOffline(false);
});

test("'Fix the highlighted addresses' goes when the bad address is removed", async ({ page }) => {
  await signUp(page);
  await addRecipient(page, "To", "good@example.com");
  await addRecipient(page, "To", "not-an-address");
  await page.getByRole("button", { name: "Send", exact: true }).click();
  const fix = page.getByText("Fix the highlighted addresses before sending.");
  await expect(fix).toBeVisible();
  await page.getByRole("button", { name: "Remove not-an-address" }).click();
  await expect(fix).toHaveCount(0);
  await expect(page.getByText("good@example.com", { exact: true })).toBeVisible();
});

test("a link is added through a dialog that refuses script links, and Enter there does not send", async ({
  page,
}) => {
  await signUp(page);
  await addRecipient(page, "To", "links@example.com");
  await page.getByLabel("Check before sending").uncheck();
  const body = page.getByRole("textbox", { name: "Message body" });
  await body.click();
  await body.pressSequentially("Read the docs");
  await page.keyboard.press("Shift+Home");
  await page.getByRole("toolbar", { name: "Formatting" }).getByRole("button", { name: "Link" }).click();

  const dialog = page.getByRole("dialog", { name: "Add link" });
  const field = dialog.getByLabel("Link address");
  await expect(field).toBeFocused();
  await field.fill("javascript:alert(1)");
  await dialog.getByRole("button", { name: "Apply" }).click();
  await expect(dialog.getByText("Enter a web address (https://…) or an email address.")).toBeVisible();
  await field.fill("example.com/docs");
  await field.press("Enter");
  await expect(dialog).toBeHidden();
  await expect(body.locator('a[href="https://example.com/docs"]')).toHaveText("Read the docs");
  await expect(page.getByTestId("send-notice")).toHaveCount(0);

  // On the link, the same button edits or removes it.
  await body.locator("a").click();
  await page.getByRole("toolbar", { name: "Formatting" }).getByRole("button", { name: "Link" }).click();
  const edit = page.getByRole("dialog", { name: "Edit link" });
  await expect(edit.getByLabel("Link address")).toHaveValue("https://example.com/docs");
  await edit.getByRole("button", { name: "Remove link" }).click();
  await expect(edit).toBeHidden();
  await expect(body.locator("a")).toHaveCount(0);
  await expect(body).toContainText("Read the docs");
});

test("the formatting toolbar is one tab stop; arrow keys move inside it", async ({ page }) => {
  await signUp(page);
  const toolbar = page.getByRole("toolbar", { name: "Formatting" });
  await expect(toolbar.getByRole("button")).toHaveCount(8);
  await expect(toolbar.locator('button[tabindex="0"]')).toHaveCount(1);

  // The control before the toolbar in the tab order.
  const useTemplate = page.getByRole("button", { name: "Use template" });
  await expect(useTemplate).toBeEnabled();
  await useTemplate.focus();
  await page.keyboard.press("Tab");
  await expect(toolbar.getByRole("button", { name: "Bold (Ctrl+B)" })).toBeFocused();
  await page.keyboard.press("ArrowRight");
  await expect(toolbar.getByRole("button", { name: "Italic (Ctrl+I)" })).toBeFocused();
  await page.keyboard.press("End");
  await expect(toolbar.getByRole("button", { name: "Link" })).toBeFocused();
  await page.keyboard.press("ArrowRight");
  await expect(toolbar.getByRole("button", { name: "Bold (Ctrl+B)" })).toBeFocused();
  await page.keyboard.press("ArrowLeft");
  await expect(toolbar.getByRole("button", { name: "Link" })).toBeFocused();
  await page.keyboard.press("Home");
  await page.keyboard.press("ArrowRight");
  await page.keyboard.press("ArrowRight");
  await expect(toolbar.getByRole("button", { name: "Heading" })).toBeFocused();

  // One Tab leaves the toolbar for the message body; Shift+Tab comes back to the button last used.
  await page.keyboard.press("Tab");
  await expect(page.getByRole("textbox", { name: "Message body" })).toBeFocused();
  await page.keyboard.press("Shift+Tab");
  await expect(toolbar.getByRole("button", { name: "Heading" })).toBeFocused();
  await page.keyboard.press("Shift+Tab");
  await expect(useTemplate).toBeFocused();

  // The focused button works from the keyboard, and hands the focus back to the text.
  await page.keyboard.press("Tab");
  await page.keyboard.press("Home");
  await page.keyboard.press("Enter");
  // Tiptap hands the focus over on the next frame: keys pressed before then would go to the button.
  await expect(page.getByRole("textbox", { name: "Message body" })).toBeFocused();
  await page.keyboard.type("bold words");
  await expect(page.getByRole("textbox", { name: "Message body" }).locator("strong")).toHaveText(
    "bold words",
  );
});

test("a message queued offline can be undone for the user's own undo window", async ({ page, context }) => {
  await signUp(page);
  await page.goto("/settings/sending");
  await page.getByRole("combobox", { name: "Undo send" }).selectOption({ label: "30 seconds" });
  await expect(page.getByText("Undo window: 30 seconds.")).toBeVisible();
  await page.goto("/compose");
  await waitForServiceWorker(page);
  await waitForWarmPages(page);
  await goOffline(context, page);

  await queueWhileOffline(page, "train@example.com", "Taken back from the Outbox");
  // The instance default here is 0 s (no Undo): the button is there because of the user's 30 s.
  await page.getByTestId("send-notice").getByRole("button", { name: "Undo" }).click();
  await expect(page.getByText("Sending undone — the message is back in your draft")).toBeVisible();
  await expect(page.getByLabel("Subject")).toHaveValue("Taken back from the Outbox");
  await page.goto("/outbox");
  await expect(page.getByText("The Outbox is empty")).toBeVisible();
  await context.setOffline(false);
});

test("with no undo window, a message queued offline offers no Undo", async ({ page, context }) => {
  // This instance's default window is 0 s and the user has not chosen one (Compose used to offer 10 s here).
  await signUpAndGoOffline(page, context);
  await queueWhileOffline(page, "train@example.com", "No second thoughts");
  const notice = page.getByTestId("send-notice");
  await expect(notice.getByRole("link", { name: "Outbox" })).toBeVisible();
  await expect(notice.getByRole("button", { name: "Undo" })).toHaveCount(0);
  await context.setOffline(false);
});
