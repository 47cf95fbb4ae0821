import { expect, test } from "@playwright/test";
import { addRecipient, signUp } from "./helpers";

test("sign up, write a formatted email, send it to the sandbox, and see it delivered", async ({ page }) => {
  const email = await signUp(page, "Ada Lovelace");

  await addRecipient(page, "To", "Charles Babbage <charles@example.com>");
  await expect(page.getByText("Charles Babbage <charles@example.com>", { exact: true })).toBeVisible();
  await page.getByLabel("Subject").fill("Notes on the Analytical Engine");

  const editor = page.getByRole("textbox", { name: "Message body" });
  await editor.click();
  await editor.pressSequentially("Dear Charles, ");
  await page.keyboard.press("Control+b");
  await editor.pressSequentially("the engine works");
  await page.keyboard.press("Control+b");
  await editor.pressSequentially(".");
  await page.keyboard.press("Enter");
  await page.getByRole("button", { name: "Bulleted list" }).click();
  await editor.pressSequentially("First point");
  await page.keyboard.press("Enter");
  await editor.pressSequentially("Second point");

  await page.keyboard.press("Control+Enter");
  await expect(page.getByText("Queued — sending to charles@example.com now")).toBeVisible();
  // The form is ready for the next message.
  await expect(page.getByLabel("Subject")).toHaveValue("");

  await page.getByRole("link", { name: "View" }).click();
  await expect(page.getByRole("heading", { name: "Notes on the Analytical Engine" })).toBeVisible();
  await expect(page.locator("[data-status=sent]")).toBeVisible();
  await expect(
    page.getByText("Delivered to the built-in test mailbox — nothing left this machine", { exact: true }),
  ).toBeVisible();
  await expect(page.getByTestId("smtp-response")).toContainText("250");

  await page.getByRole("link", { name: "Sent" }).first().click();
  const item = page.getByTestId("sent-item").filter({ hasText: "Notes on the Analytical Engine" });
  await expect(item).toContainText("Charles Babbage");
  await expect(item.locator("[data-status=sent]")).toBeVisible();

  await page.getByRole("link", { name: "Mailbox" }).first().click();
  await page.getByTestId("mailbox-item").filter({ hasText: "Notes on the Analytical Engine" }).click();
  await expect(page.getByText(`From: "Ada Lovelace" <${email}>`)).toBeVisible();
  const body = page.frameLocator('iframe[title="Captured message"]');
  await expect(body.locator("strong")).toHaveText("the engine works");
  await expect(body.locator("li")).toHaveText(["First point", "Second point"]);
  await page.getByText("Plain-text version").click();
  await expect(page.getByTestId("plain-text")).toContainText("Dear Charles, the engine works.");
});

test("invalid recipients are flagged and nothing is sent", async ({ page }) => {
  await signUp(page);
  await addRecipient(page, "To", "not-an-address");
  await expect(page.getByText("Not a valid address: not-an-address")).toBeVisible();
  await page.getByRole("button", { name: "Send" }).click();
  await expect(page.getByText("Fix the highlighted addresses before sending.")).toBeVisible();
  await page.getByRole("button", { name: "Remove not-an-address" }).click();
  await expect(page.getByText("Not a valid address: not-an-address")).toHaveCount(0);
  // Backspace in the empty field removes the last chip too.
  await addRecipient(page, "To", "a@example.com, b@example.com");
  await expect(page.getByText("b@example.com", { exact: true })).toBeVisible();
  await page.getByRole("combobox", { name: "To", exact: true }).press("Backspace");
  await expect(page.getByText("b@example.com", { exact: true })).toHaveCount(0);
  await expect(page.getByText("a@example.com", { exact: true })).toBeVisible();
  await page.goto("/sent");
  await expect(page.getByText("Nothing sent yet")).toBeVisible();
});

test("Sent search finds messages by recipient and subject", async ({ page }) => {
  await signUp(page);
  for (const [to, subject] of [
    ["ops@example.com", "Server maintenance"],
    ["mum@example.com", "Sunday lunch"],
  ] as const) {
    await addRecipient(page, "To", to);
    await page.getByLabel("Subject").fill(subject);
    await page.getByRole("button", { name: "Send" }).click();
    await expect(page.getByText(`Queued — sending to ${to} now`)).toBeVisible();
  }
  await page.goto("/sent");
  await expect(page.getByTestId("sent-item")).toHaveCount(2);
  await page.getByLabel("Search sent messages").fill("mum@");
  await expect(page.getByTestId("sent-item")).toHaveCount(1);
  await expect(page.getByTestId("sent-item")).toContainText("Sunday lunch");
  await page.getByLabel("Search sent messages").fill("nothing-like-this");
  await expect(page.getByText("Nothing in Sent matches")).toBeVisible();
});
