import { test } from "@playwright/test";
import { pickFrequentContactWithKeyboard, suggestionsOffline } from "./contact-scenarios";

test("on a phone: To suggests the people written to most, and the keyboard picks one", async ({ page }) => {
  await pickFrequentContactWithKeyboard(page);
});

test("on a phone: suggestions work offline from what the device has seen", async ({ page, context }) => {
  await suggestionsOffline(page, context);
});
