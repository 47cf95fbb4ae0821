import { expect, test } from "@playwright/test";
import { gmailPort } from "../../playwright.config";
import { addRecipient, signUp } from "./helpers";

// "Connect Google" in Chromium, through a real authorization server's sign-in and consent pages (oidc-provider,
// tests/support/oauth-provider-server.ts), back to Settings; then a message goes out through the Gmail API
// stand-in, which accepted it only with a bearer token that server issued.
test("connect Google through sign-in and consent, then send through the Gmail API", async ({ page }) => {
  await signUp(page, "Oauth User");
  await page.goto("/settings/senders");
  await page.getByRole("link", { name: "Connect Google" }).click();

  // The provider's pages, on its own origin.
  await expect(page.getByRole("heading", { name: "Sign in to the test provider" })).toBeVisible();
  expect(new URL(page.url()).port).not.toBe(new URL(test.info().project.use.baseURL!).port);
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByRole("heading", { name: "Allow SecureVault?" })).toBeVisible();
  await expect(page.getByText("https://www.googleapis.com/auth/gmail.send")).toBeVisible();
  await page.getByRole("button", { name: "Allow" }).click();

  // Back in Settings: connected, with no password anywhere.
  await expect(page).toHaveURL(/\/settings\/senders\?connected=/);
  await expect(page.getByTestId("connect-notice")).toContainText("Connected");
  const card = page.getByTestId("sender-card").filter({ hasText: "e2e.user@gmail.test" });
  await expect(card).toContainText("Connected with Google");
  await expect(card.getByRole("button", { name: "Edit" })).toHaveCount(0);

  const subject = `Via Gmail ${Date.now()}`;
  await page.goto("/compose");
  await page.getByLabel("From").selectOption({ label: "e2e.user@gmail.test — Gmail — e2e.user@gmail.test" });
  await addRecipient(page, "To", "alice@example.com");
  await page.getByLabel("Subject").fill(subject);
  await page.getByRole("textbox", { name: "Message body" }).fill("Hello through the API");
  await page.getByRole("button", { name: "Send" }).click();

  // The Gmail API stand-in records what it was given; the worker sends after the undo window.
  await expect
    .poll(
      async () => {
        const res = await page.request.get(`http://127.0.0.1:${gmailPort}/__received`);
        const received = (await res.json()) as { subject: string; to: string[] }[];
        return received.find((m) => m.subject === subject)?.to;
      },
      { timeout: 20_000 },
    )
    .toEqual(["alice@example.com"]);
});
