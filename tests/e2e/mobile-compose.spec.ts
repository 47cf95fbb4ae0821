import { devices, expect, test, type Page } from "@playwright/test";
import { addRecipient, signUp } from "./helpers";

// Compose on phones (the "mobile" project: Pixel 7; and an iPhone 14 below, both in Chromium): a long address
// wraps instead of widening the page, Send can be tapped, touch targets are 44 px, and the send notice stays clear of the
// bottom navigation.

const LONG = "Alexandra Konstantinopoulou <alexandra.konstantinopoulou@very-long-company-domain.example.com>";
const LONG_ADDRESS = "alexandra.konstantinopoulou@very-long-company-domain.example.com";

async function expectNoSidewaysScroll(page: Page, width: number) {
  expect(
    await page.evaluate(() => document.documentElement.scrollWidth),
    `page width at ${width}px`,
  ).toBeLessThanOrEqual(width);
}

async function expectOnScreen(page: Page, name: string, width: number) {
  const found = await page.getByRole("button", { name, exact: true }).first().boundingBox();
  expect(found, `${name} has a box`).not.toBeNull();
  expect(found!.x, `${name} starts on screen at ${width}px`).toBeGreaterThanOrEqual(0);
  expect(found!.x + found!.width, `${name} ends on screen at ${width}px`).toBeLessThanOrEqual(width);
}

async function longAddressOnPhone(page: Page) {
  await signUp(page);
  await addRecipient(page, "To", LONG);
  const chip = page.getByTestId("address-chip");
  await expect(chip).toHaveAttribute("title", LONG);
  await page.getByLabel("Subject").fill("A long address");
  await page.getByLabel("Check before sending").uncheck();

  for (const width of [320, 375, 412]) {
    await page.setViewportSize({ width, height: 760 });
    await expectNoSidewaysScroll(page, width);
    for (const name of ["Sign out", "Cc/Bcc", `Remove ${LONG}`, "Send", "Schedule for later"]) {
      await expectOnScreen(page, name, width);
    }
    const nav = await page.getByRole("navigation", { name: "Main" }).last().boundingBox();
    expect(nav!.width, `bottom navigation at ${width}px`).toBeLessThanOrEqual(width);
  }

  // The whole address wraps inside the chip: nothing cut, nothing outside the field.
  const text = chip.locator(".sv-chip-text");
  await expect(text).toHaveText(LONG);
  expect(await text.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
  const field = await page.getByRole("combobox", { name: "To", exact: true }).locator("..").boundingBox();
  const chipBox = await chip.boundingBox();
  expect(chipBox!.x + chipBox!.width).toBeLessThanOrEqual(field!.x + field!.width);

  // Touch targets: the chip's ×, text buttons, the checkbox row and the toolbar.
  const targets = [
    chip.getByRole("button"),
    page.getByRole("button", { name: "Clear" }),
    page.getByRole("main").getByRole("link", { name: "Drafts" }),
    page.getByRole("button", { name: "Cc/Bcc" }),
    page.locator("label").filter({ hasText: "Check before sending" }),
    page.getByRole("toolbar", { name: "Formatting" }).getByRole("button", { name: "Bold (Ctrl+B)" }),
    page.getByRole("button", { name: "Send", exact: true }),
  ];
  for (const target of targets) {
    const found = await target.boundingBox();
    expect(found!.height, `${await target.textContent()} is tall enough to tap`).toBeGreaterThanOrEqual(44);
    expect(found!.width).toBeGreaterThanOrEqual(44);
  }

  await page.getByRole("button", { name: "Send", exact: true }).tap();
  const notice = page.getByTestId("send-notice");
  await expect(notice).toContainText(`Queued — sending to ${LONG_ADDRESS} now`);
  const bottomNav = await page.getByRole("navigation", { name: "Main" }).last().boundingBox();
  const noticeBox = await notice.boundingBox();
  expect(noticeBox!.y + noticeBox!.height, "notice above the bottom navigation").toBeLessThanOrEqual(
    bottomNav!.y,
  );
  await expectNoSidewaysScroll(page, 412);
}

test("Pixel 7: a long address fits at 320, 375 and 412 px, Send is tapped, the notice stays above the navigation", async ({
  page,
}) => {
  await longAddressOnPhone(page);
});

test.describe("iPhone 14", () => {
  // Its device profile names WebKit; these tests keep the project's Chromium with the iPhone's screen and touch.
  const { defaultBrowserType: _webkit, ...iPhone } = devices["iPhone 14"];
  test.use(iPhone);

  test("a long address fits at 320, 375 and 412 px, Send is tapped, the notice stays above the navigation", async ({
    page,
  }) => {
    await longAddressOnPhone(page);
  });
});
