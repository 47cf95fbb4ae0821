import { expect, test } from "@playwright/test";
import { startFlakyProxy } from "../support/flaky-proxy";
import { signUp } from "./helpers";
import { waitForServiceWorker } from "./offline-helpers";

test("a new version waits until the user chooses Reload", async ({ browser, baseURL }) => {
  const proxy = await startFlakyProxy(baseURL!);
  const context = await browser.newContext({ baseURL: proxy.url });
  try {
    const page = await context.newPage();
    await signUp(page);
    await waitForServiceWorker(page);

    proxy.changeServiceWorker(); // a deploy happened
    await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r?.update()));
    await expect(page.getByText("Update available")).toBeVisible({ timeout: 20_000 });
    // The new version waits: the page keeps running the old one until the user acts.
    expect(
      await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => !!r?.waiting)),
    ).toBe(true);

    const reloaded = page.waitForEvent("load");
    await page.getByRole("button", { name: "Reload" }).click();
    await reloaded;
    await waitForServiceWorker(page);
    expect(
      await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => !!r?.waiting)),
    ).toBe(false);
    await expect(page.getByText("Update available")).toHaveCount(0);
  } finally {
    await context.close();
    await proxy.close();
  }
});
