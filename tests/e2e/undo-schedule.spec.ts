import { expect, test } from "@playwright/test";
import { addRecipient, signUp } from "./helpers";

test("Undo send takes the message back into the draft, and it is never sent", async ({ page }) => {
  await signUp(page, "Una Undo");
  await page.goto("/settings/sending");
  await page.getByRole("combobox", { name: "Undo send" }).selectOption({ label: "10 seconds" });
  await expect(page.getByText("Undo window: 10 seconds.")).toBeVisible();

  await page.goto("/compose");
  await addRecipient(page, "To", "oops@example.com");
  await page.getByLabel("Subject").fill("Sent too soon");
  await page.getByRole("textbox", { name: "Message body" }).fill("Second thoughts about this one.");
  await page.getByRole("button", { name: "Send", exact: true }).click();
  await expect(page.getByText(/Sending in \d+ s…/)).toBeVisible();
  await page.getByRole("button", { name: "Undo" }).click();

  await expect(page.getByText("Sending undone — the message is back in your draft")).toBeVisible();
  await expect(page.getByLabel("Subject")).toHaveValue("Sent too soon");
  await expect(page.getByText("oops@example.com", { exact: true })).toBeVisible();
  await expect(page.getByRole("textbox", { name: "Message body" })).toContainText(
    "Second thoughts about this one.",
  );

  await page.goto("/sent");
  const item = page.getByTestId("sent-item").filter({ hasText: "Sent too soon" });
  await expect(item.locator("[data-status=cancelled]")).toBeVisible();
  await item.click();
  await expect(page.getByText("Cancelled — this message was not sent.")).toBeVisible();
  await expect(page.getByRole("list", { name: "Status timeline" })).toContainText(
    "Cancelled before it was sent",
  );
});

test("Schedule send holds the message until its time; Send now sends it", async ({ page }) => {
  await signUp(page, "Sched Uler");
  await addRecipient(page, "To", "later@example.com");
  await page.getByLabel("Subject").fill("See you tomorrow");
  await page.getByRole("button", { name: "Schedule for later" }).click();
  const dialog = page.getByRole("dialog", { name: "Schedule send" });
  await dialog.getByRole("button", { name: /Tomorrow morning/ }).click();
  await expect(page.getByText(/^Scheduled for /)).toBeVisible();

  await page.getByRole("link", { name: "View" }).click();
  await expect(page.getByRole("heading", { name: "See you tomorrow" })).toBeVisible();
  await expect(page.locator("[data-status=scheduled]")).toBeVisible();
  await expect(page.getByText(/Scheduled for .*8:00/)).toBeVisible();

  await page.getByRole("button", { name: "Send now" }).click();
  await expect(page.locator("[data-status=sent]")).toBeVisible();
  await expect(
    page.getByText("Delivered to the built-in test mailbox — nothing left this machine", { exact: true }),
  ).toBeVisible();
});

test("a custom schedule time in the past is refused in the dialog, and nothing is sent", async ({ page }) => {
  await signUp(page);
  await addRecipient(page, "To", "x@example.com");
  // Without the pre-send check a Send goes out at once: a submit of the dialog's form that also reached
  // Compose's form closed the dialog and sent the message before the refusal could be read.
  await page.getByLabel("Check before sending").uncheck();
  await page.getByRole("button", { name: "Schedule for later" }).click();
  const dialog = page.getByRole("dialog", { name: "Schedule send" });
  const when = dialog.getByLabel("Pick a date and time");
  await when.fill("2020-01-01T08:00");
  await dialog.getByRole("button", { name: "Schedule", exact: true }).click();
  await expect(dialog.getByText("Choose a time in the future.")).toBeVisible();
  await expect(when).toHaveValue("2020-01-01T08:00");
  // Enter in the field (the same submit) and Ctrl+Enter (Send's shortcut in Compose) stay in the dialog too.
  await when.press("Enter");
  await when.press("Control+Enter");
  await expect(dialog.getByText("Choose a time in the future.")).toBeVisible();
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toBeHidden();

  await page.goto("/sent");
  await expect(page.getByText("Nothing sent yet. Messages you send appear here.")).toBeVisible();
});

test("Send anyway after the pre-send check keeps the typed schedule time", async ({ page }) => {
  await signUp(page);
  await addRecipient(page, "To", "later@example.com");
  await page.getByLabel("Subject").fill("Report for tomorrow");
  await page.getByRole("textbox", { name: "Message body" }).fill("The report is attached.");
  await page.getByRole("button", { name: "Schedule for later" }).click();
  const dialog = page.getByRole("dialog", { name: "Schedule send" });
  // Tomorrow at 09:17 on the browser's clock and in its time zone, as the field and the notice show it.
  const { input, shown } = await page.evaluate(() => {
    const at = new Date();
    at.setDate(at.getDate() + 1);
    at.setHours(9, 17, 0, 0);
    const pad = (n: number) => String(n).padStart(2, "0");
    const local = `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}T09:17`;
    return { input: local, shown: at.toLocaleString() };
  });
  await dialog.getByLabel("Pick a date and time").fill(input);
  await dialog.getByRole("button", { name: "Schedule", exact: true }).click();

  const check = page.getByRole("dialog", { name: "Before you send" });
  await expect(check.getByTestId("presend-finding")).toContainText("Missing attachment");
  await check.getByRole("button", { name: "Send anyway" }).click();
  await expect(page.getByText(`Scheduled for ${shown}`)).toBeVisible();
  await page.getByRole("link", { name: "View" }).click();
  await expect(page.locator("[data-status=scheduled]")).toBeVisible();
});
