import { expect, test } from "@playwright/test";
import { PASSWORD, addRecipient, signUp, uniqueEmail } from "./helpers";

test("signed-out visitors are sent to sign-in, and API calls get 401 JSON", async ({ page, request }) => {
  await page.goto("/sent");
  await expect(page).toHaveURL(/\/sign-in$/);
  const res = await request.get("/api/messages");
  expect(res.status()).toBe(401);
  expect(await res.json()).toMatchObject({ error: { code: "unauthorized" } });
});

test("sign in, sign out, and a clear error for a wrong password", async ({ page }) => {
  const email = await signUp(page);
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  await page.goto("/compose");
  await expect(page).toHaveURL(/\/sign-in$/);

  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("not the password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText("Wrong email or password.")).toBeVisible();

  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/compose$/);
  await expect(page.getByTestId("signed-in-as")).toHaveText(email);
});

test("the session cookie is httpOnly and SameSite=Lax", async ({ page, context }) => {
  await signUp(page);
  const cookie = (await context.cookies()).find((c) => c.name.endsWith("next-auth.session-token"));
  expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Lax" });
});

test("sign-in attempts are rate limited with 429 and Retry-After", async ({ page }) => {
  const email = await signUp(page);
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  for (let i = 0; i < 10; i++) {
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(`wrong-${i}`);
    const attempt = page.waitForResponse((r) => r.url().endsWith("/api/auth/callback/credentials"));
    await page.getByRole("button", { name: "Sign in" }).click();
    expect((await attempt).status()).not.toBe(429);
    await expect(page.getByText("Wrong email or password.")).toBeVisible();
    await expect(page.getByRole("button", { name: "Sign in" })).toBeEnabled();
  }
  const limited = page.waitForResponse((r) => r.url().endsWith("/api/auth/callback/credentials"));
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  const response = await limited;
  expect(response.status()).toBe(429);
  expect(Number(response.headers()["retry-after"])).toBeGreaterThan(0);
  await expect(page.getByText(/Too many sign-in attempts/)).toBeVisible();
  await expect(page).toHaveURL(/\/sign-in/);
});

test("one user cannot open another user's message", async ({ browser }) => {
  const alice = await browser.newPage();
  await signUp(alice, "Alice");
  await addRecipient(alice, "To", "x@example.com");
  await alice.getByLabel("Subject").fill("Private plans");
  await alice.getByRole("button", { name: "Send" }).click();
  await alice.getByRole("link", { name: "View" }).click();
  await expect(alice.getByRole("heading", { name: "Private plans" })).toBeVisible();
  const messageUrl = alice.url();

  const bobContext = await browser.newContext();
  const bob = await bobContext.newPage();
  await signUp(bob, "Bob", uniqueEmail("bob"));
  await bob.goto(messageUrl);
  await expect(bob.getByRole("heading", { name: "Not found" })).toBeVisible();
  await expect(bob.getByText("Private plans")).toHaveCount(0);
  const api = await bob.request.get(messageUrl.replace("/messages/", "/api/messages/"));
  expect(api.status()).toBe(404);
  await bobContext.close();
});
