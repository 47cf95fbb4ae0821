// Account mail through the built-in sandbox mailbox (no SYSTEM_SMTP_URL): "Forgot password?" and an invitation
// link, each finished on a phone by the person the mail was for. Issue 21, items 5 and 6.
import { execFileSync } from "node:child_process";
import { devices, expect, test, type Browser, type Page } from "@playwright/test";
import { PASSWORD, signUp, uniqueEmail } from "./helpers";

const NEW_PASSWORD = "a fresh passphrase for e2e";

async function phonePage(browser: Browser, baseURL: string | undefined): Promise<Page> {
  const { defaultBrowserType: _ignored, ...pixel } = devices["Pixel 7"];
  const context = await browser.newContext({ ...pixel, baseURL });
  return context.newPage();
}

async function signIn(page: Page, email: string, password: string) {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/compose$/);
}

/** The first link in the newest mail with this subject in the signed-in user's Mailbox, read from its page. */
async function linkFromMailbox(page: Page, subject: string): Promise<string> {
  await page.goto("/mailbox");
  await page.getByText(subject).first().click();
  await expect(page.getByRole("heading", { name: subject })).toBeVisible();
  await page.getByText("Plain-text version").click();
  const text = (await page.getByTestId("plain-text").textContent()) ?? "";
  const link = /https?:\/\/\S+/.exec(text)?.[0];
  expect(link, `a link in: ${text}`).toBeTruthy();
  // The mail names the configured public URL; the test server listens on its own port.
  const url = new URL(link!);
  return `${url.pathname}${url.hash}`;
}

test("Forgot password: the link from the sandbox mailbox sets a new password and signs out the other session", async ({
  page,
  browser,
  baseURL,
}) => {
  // The account holder is still signed in on the desktop; they forgot the password on their phone.
  const email = await signUp(page, "Ada Lovelace");
  const phone = await phonePage(browser, baseURL);
  await phone.goto("/sign-in");
  await phone.getByRole("link", { name: "Forgot password?" }).click();
  await expect(phone).toHaveURL(/\/forgot-password$/);
  await phone.getByLabel("Email").fill(email);
  await phone.getByRole("button", { name: "Send reset link" }).click();
  await expect(phone.getByRole("status")).toContainText("If an account uses this address");

  const link = await linkFromMailbox(page, "Reset your SecureVault password");
  expect(link).toMatch(/^\/reset-password#token=[\w-]+$/);

  await phone.goto(link);
  await phone.getByLabel(/^New password\W*$/).fill(NEW_PASSWORD);
  await phone.getByLabel("New password again").fill(NEW_PASSWORD);
  await phone.getByRole("button", { name: "Set new password" }).click();
  await expect(phone.getByRole("status")).toContainText("Your password has been changed");
  // The token left the address bar once used.
  expect(new URL(phone.url()).hash).toBe("");

  // The desktop session ended with the reset.
  expect((await page.request.get("/api/account")).status()).toBe(401);

  // The link works once; the new password signs in. (Via another page: a link differing only in its hash would
  // not load the page afresh.)
  await phone.goto("/sign-in");
  await phone.goto(link);
  await phone.getByLabel(/^New password\W*$/).fill("yet another passphrase");
  await phone.getByLabel("New password again").fill("yet another passphrase");
  await phone.getByRole("button", { name: "Set new password" }).click();
  await expect(phone.getByText(/invalid, expired or already used/)).toBeVisible();
  await signIn(phone, email, NEW_PASSWORD);
  await phone.context().close();
});

test("Invitation: the admin creates a link in Settings, a new person signs up with it on a phone", async ({
  page,
  browser,
  baseURL,
}) => {
  // An account of its own, made the admin before its first session (npm run admin), so no cached session
  // predates the role.
  const adminEmail = uniqueEmail("admin");
  const created = await page.request.post("/api/account", {
    data: { email: adminEmail, password: PASSWORD, name: "Admin" },
  });
  expect(created.status()).toBe(201);
  execFileSync(
    "node_modules/.bin/tsx",
    ["--conditions=react-server", "lib/auth/admin-cli.ts", "grant", adminEmail],
    {
      env: {
        ...process.env,
        DATA_DIR: process.env.E2E_DATA_DIR,
        ...(process.env.E2E_DATABASE_URL ? { DATABASE_URL: process.env.E2E_DATABASE_URL } : {}),
      },
      stdio: "pipe",
    },
  );
  await signIn(page, adminEmail, PASSWORD);

  await page.goto("/settings/invitations");
  const panel = page.getByRole("form", { name: "Create invitation" });
  await expect(panel).toBeVisible();
  await panel.getByRole("button", { name: "Create invitation" }).click();
  const linkField = page.getByTestId("invitation-link").getByLabel("Invitation link");
  await expect(linkField).toHaveValue(/\/sign-up#invite=[\w-]+$/);
  const url = new URL(await linkField.inputValue());
  await expect(page.getByTestId("invitations-list").getByText("pending").first()).toBeVisible();

  const phone = await phonePage(browser, baseURL);
  const guest = uniqueEmail("guest");
  await phone.goto(`${url.pathname}${url.hash}`);
  await expect(phone.getByText("You have been invited")).toBeVisible();
  await phone.getByLabel("Your name").fill("Grace Hopper");
  await phone.getByLabel("Email").fill(guest);
  await phone.getByLabel("Password").fill(PASSWORD);
  await phone.getByRole("button", { name: "Create account" }).click();
  await expect(phone).toHaveURL(/\/compose$/);
  await phone.context().close();

  await page.reload();
  await expect(
    page.getByTestId("invitations-list").getByText(`Used by ${guest}`, { exact: false }),
  ).toBeVisible();
});
