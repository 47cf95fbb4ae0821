import { expect, test } from "@playwright/test";
import { addRecipient, signUp } from "./helpers";

test("on a phone: bottom navigation, and compose fits the screen", async ({ page }) => {
  await signUp(page);
  const nav = page.getByRole("navigation", { name: "Main" });
  await expect(nav.getByRole("link", { name: "Sent" })).toBeVisible();
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width).toBeLessThanOrEqual(page.viewportSize()!.width);

  await addRecipient(page, "To", "friend@example.com");
  await page.getByLabel("Subject").fill("From the train");
  await page.getByRole("textbox", { name: "Message body" }).fill("Sent from my phone");
  await page.getByRole("button", { name: "Send" }).click();
  await expect(page.getByText("Queued — sending to friend@example.com now")).toBeVisible();
  await nav.getByRole("link", { name: "Sent" }).click();
  await expect(page.getByTestId("sent-item").locator("[data-status=sent]")).toBeVisible();
});
