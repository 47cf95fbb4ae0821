import { randomUUID } from "node:crypto";
import { expect, type Page } from "@playwright/test";

export const PASSWORD = "correct horse battery staple";

export function uniqueEmail(prefix = "user"): string {
  return `${prefix}-${randomUUID().slice(0, 8)}@example.com`;
}

/** Signs up through the real form and lands on Compose, signed in. */
export async function signUp(page: Page, name = "Test User", email = uniqueEmail()): Promise<string> {
  await page.goto("/sign-up");
  await page.getByLabel("Your name").fill(name);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/compose$/);
  await expect(page.getByRole("heading", { name: "New message" })).toBeVisible();
  await composeReady(page);
  return email;
}

/**
 * Compose takes input once its draft is open (its fields are disabled until then). Clicks and fills wait for that
 * on their own; keys pressed before it would go nowhere.
 */
export async function composeReady(page: Page) {
  await expect(page.getByRole("combobox", { name: "To", exact: true })).toBeEnabled();
}

export async function addRecipient(page: Page, field: "To" | "Cc" | "Bcc", address: string) {
  const input = page.getByRole("combobox", { name: field, exact: true });
  await input.fill(address);
  await input.press("Enter");
}
