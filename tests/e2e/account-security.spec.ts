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

test("Settings: deleting the account asks for the password, then the account is gone", async ({ page }) => {
  const email = await signUp(page, "Ada Delete");
  await page.goto("/settings/security");

  await page.getByRole("button", { name: "Delete my account" }).click();
  const dialog = page.getByRole("dialog", { name: "Delete your account?" });
  await expect(dialog.getByRole("button", { name: "Delete for good" })).toBeDisabled();
  await dialog.getByLabel("Password").fill("not my password");
  await dialog.getByRole("button", { name: "Delete for good" }).click();
  await expect(dialog.getByRole("alert")).toBeVisible();
  await expect(page).toHaveURL(/\/settings\/security/);

  await dialog.getByLabel("Password").fill(PASSWORD);
  await dialog.getByRole("button", { name: "Delete for good" }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText("Wrong email or password.")).toBeVisible();
});
