import { expect, request as playwrightRequest, test, type Page } from "@playwright/test";
import { PASSWORD, signUp } from "./helpers";
import { goOffline, queueWhileOffline, waitForServiceWorker, writeMessage } from "./offline-helpers";

test("a copied session cookie stops working once that session signs out", async ({
  page,
  context,
  baseURL,
}) => {
  await signUp(page);
  const copy = await playwrightRequest.newContext({ baseURL, storageState: await context.storageState() });
  expect((await copy.get("/api/account")).status()).toBe(200);

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in/);

  expect((await copy.get("/api/account")).status()).toBe(401);
  await copy.dispose();
});

test("revoked elsewhere: the device clears its cached screens, drafts and Sent copies; the outbox waits", async ({
  page,
  context,
  baseURL,
}) => {
  const email = await signUp(page);
  await waitForServiceWorker(page);
  // Visited screens are kept for offline use.
  await page.goto("/settings/senders");
  await page.goto("/compose");
  await expect.poll(() => cachedScreens(page)).toBeGreaterThan(0);

  await goOffline(context, page);
  await queueWhileOffline(page, "later@example.com", "Waits for the owner");
  await writeMessage(page, "draft@example.com", "Half-written on this phone");
  await expect.poll(() => countOnDevice(page, "drafts")).toBeGreaterThan(0);

  // Meanwhile, on another device of the same user: "Sign out everywhere".
  const otherDevice = await playwrightRequest.newContext({
    baseURL,
    storageState: await context.storageState(),
  });
  const signOut = await otherDevice.delete("/api/account/sessions", { headers: { origin: baseURL! } });
  expect(signOut.status()).toBe(204);
  await otherDevice.dispose();

  // Back online, the device learns its session is over at its next request.
  await context.setOffline(false);
  await page.goto("/settings/senders");
  await expect(page).toHaveURL(/\/sign-in/);
  await expect.poll(() => countOnDevice(page, "drafts")).toBe(0);
  expect(await countOnDevice(page, "sentCache")).toBe(0);
  expect(await cachedScreens(page)).toBe(0);
  expect(await countOnDevice(page, "outbox")).toBe(1);

  // The same user signs in again: the waiting message goes out.
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/compose$/);
  await expect.poll(() => countOnDevice(page, "outbox"), { timeout: 30_000 }).toBe(0);
});

/** Screens in the service worker's page cache. */
function cachedScreens(page: Page): Promise<number> {
  return page.evaluate(async () => {
    if (!(await caches.has("securevault-pages"))) return 0;
    return (await (await caches.open("securevault-pages")).keys()).length;
  });
}

/** Items in one IndexedDB store of the app, read with the raw API (independent of the app's code). */
function countOnDevice(page: Page, store: string): Promise<number> {
  return page.evaluate(
    (name) =>
      new Promise<number>((resolve, reject) => {
        const open = indexedDB.open("securevault");
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const count = open.result.transaction(name, "readonly").objectStore(name).count();
          count.onsuccess = () => resolve(count.result);
          count.onerror = () => reject(count.error);
        };
      }),
    store,
  );
}
