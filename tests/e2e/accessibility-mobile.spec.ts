import { expect, test } from "@playwright/test";
import { accessibilitySuite, openScreen, prepareScreens, signedOutScreens } from "./screens";

// The phone layout (Pixel 7, in this project): axe-core in both themes, no page wider than the screen at
// 320, 375 and 412 px (Compose has its own checks), Drafts in the bottom navigation, a skip link, and
// navigation targets of at least 44 px.

accessibilitySuite();

test("no screen but Compose is wider than a 320, 375 or 412 px phone", async ({ page }) => {
  test.setTimeout(180_000);
  const screens = [...signedOutScreens, ...(await prepareScreens(page))].filter((s) => s.path !== "/compose");
  for (const width of [320, 375, 412]) {
    await page.setViewportSize({ width, height: 800 });
    for (const screen of screens) {
      await openScreen(page, screen);
      const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(scrollWidth, `${screen.name} at ${width} px`).toBeLessThanOrEqual(width);
    }
  }
});

test("the bottom navigation reaches Drafts, its targets are 44 px or more, and a skip link leads to the content", async ({
  page,
}) => {
  await prepareScreens(page);
  await page.goto("/sent");
  const nav = page.getByRole("navigation", { name: "Main" });
  await nav.getByRole("link", { name: "Drafts" }).click();
  await expect(page).toHaveURL(/\/drafts$/);
  for (const link of await nav.getByRole("link").all()) {
    const box = (await link.boundingBox())!;
    expect(box.height).toBeGreaterThanOrEqual(44);
    expect(box.width).toBeGreaterThanOrEqual(44);
  }

  await page.goto("/sent");
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "Skip to content" });
  await expect(skip).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.locator("main")).toBeFocused();
});
