import { expect, test } from "@playwright/test";
import { addRecipient, signUp } from "./helpers";

test("Undo send takes the message back into the draft, and it is never sent", async ({ page }) => {
  await signUp(page, "Una Undo");
  await page.goto("/settings");
  await page.getByRole("combobox", { name: "Undo send" }).click();
  await page.getByRole("option", { name: "10 seconds" }).click();
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
  await expect(page.getByText("Delivered to the mail server")).toBeVisible();
});

test("a custom schedule time in the past is refused in the dialog", async ({ page }) => {
  await signUp(page);
  await addRecipient(page, "To", "x@example.com");
  await page.getByRole("button", { name: "Schedule for later" }).click();
  const dialog = page.getByRole("dialog", { name: "Schedule send" });
  const when = dialog.getByLabel("Pick a date and time");
  // The dialog loads after the page: fill again if the first value landed before it was ready.
  await expect(async () => {
    await when.fill("2020-01-01T08:00");
    await expect(when).toHaveValue("2020-01-01T08:00", { timeout: 1000 });
  }).toPass();
  await dialog.getByRole("button", { name: "Schedule", exact: true }).click();
  await expect(dialog.getByText("Choose a time in the future.")).toBeVisible();
});
