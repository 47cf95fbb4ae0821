import { expect, test, type Page } from "@playwright/test";
import { base32Decode, totp } from "../../lib/auth/totp";
import { PASSWORD, signUp } from "./helpers";

// The authenticator app, played by the test: the code for the next 30-second step. The step that confirmed
// the setup is spent (each code works once), and the server accepts one step ahead for clocks that run early.
const nextCode = (secret: Buffer) => totp(secret, Date.now() + 30_000);

async function signInWithPassword(page: Page, email: string) {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
}

test("two-factor sign-in: turned on in Settings with a code, then asked for at sign-in", async ({ page }) => {
  const email = await signUp(page);
  await page.goto("/settings/security");
  await page.getByRole("button", { name: "Turn on two-factor sign-in" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Password").fill(PASSWORD);
  await dialog.getByRole("button", { name: "Continue" }).click();

  // The key to type into an app, and a link an app on this device can open.
  const typed = (await dialog.getByTestId("two-factor-secret").textContent())!.replace(/\s/g, "");
  await expect(dialog.getByRole("link", { name: /open the setup link/ })).toHaveAttribute(
    "href",
    new RegExp(`^otpauth://totp/SecureVault:.*secret=${typed}`),
  );
  const secret = base32Decode(typed);
  await dialog.getByLabel("6-digit code from the app").fill("000000");
  await dialog.getByRole("button", { name: "Confirm and turn on" }).click();
  await expect(dialog.getByText("That code is not right")).toBeVisible();
  await dialog.getByLabel("6-digit code from the app").fill(totp(secret, Date.now()));
  await dialog.getByRole("button", { name: "Confirm and turn on" }).click();
  await expect(dialog.getByRole("heading", { name: "Two-factor sign-in is on" })).toBeVisible();
  await expect(dialog.getByRole("list", { name: "Recovery codes" }).getByRole("listitem")).toHaveCount(10);
  const recoveryCode = await dialog.getByRole("listitem").first().textContent();
  await dialog.getByRole("button", { name: "I have saved them" }).click();
  await expect(page.getByText("On. 10 recovery codes left.")).toBeVisible();

  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(page).toHaveURL(/\/sign-in/);

  // The right password alone is not enough any more.
  await signInWithPassword(page, email);
  const code = page.getByLabel("Authentication code");
  await expect(code).toBeVisible();
  await expect(page).toHaveURL(/\/sign-in/);
  await code.fill("123456");
  await page.getByRole("button", { name: "Verify and sign in" }).click();
  await expect(page.getByText("That code is not right")).toBeVisible();
  await code.fill(nextCode(secret));
  await page.getByRole("button", { name: "Verify and sign in" }).click();
  await expect(page).toHaveURL(/\/compose$/);

  // A recovery code works in place of the app, once.
  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await signInWithPassword(page, email);
  await page.getByLabel("Authentication code").fill(recoveryCode!);
  await page.getByRole("button", { name: "Verify and sign in" }).click();
  await expect(page).toHaveURL(/\/compose$/);
  await page.goto("/settings/security");
  await expect(page.getByText("On. 9 recovery codes left.")).toBeVisible();
});
