import { expect, test } from "@playwright/test";
import { PASSWORD, signUp } from "./helpers";

test("Settings: change password, see it in the security log, export, then sign out everywhere", async ({
  page,
}) => {
  await signUp(page, "Alan Turing");
  await page.goto("/settings/security");

  await page.getByLabel("Current password").fill("wrong password!");
  await page.getByLabel("New password").fill("an even better password");
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByText("That is not your current password.").first()).toBeVisible();

  await page.getByLabel("Current password").fill(PASSWORD);
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByText("Password changed. Your other devices have been signed out.")).toBeVisible();

  // This device kept its session; the log shows what happened.
  await page.reload();
  const log = page.getByTestId("audit-log");
  await expect(log.getByText("Password changed", { exact: true })).toBeVisible();
  await expect(log.getByText("Signed in", { exact: true })).toBeVisible();

  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Export my data" }).click();
  expect((await download).suggestedFilename()).toMatch(/^securevault-export-\d{4}-\d{2}-\d{2}\.zip$/);

  await page.getByRole("button", { name: "Sign out everywhere" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Sign out everywhere" }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  await page.goto("/compose");
  await expect(page).toHaveURL(/\/sign-in/);
});
