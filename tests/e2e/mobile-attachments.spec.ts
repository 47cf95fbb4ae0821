import { expect, test } from "@playwright/test";
import { dropFiles, mailboxFiles, pasteFiles, PNG_BYTES, sha } from "./attachment-helpers";
import { addRecipient, signUp } from "./helpers";
import { expectDeliveredOnce } from "./offline-helpers";

// Attachments on a phone (the "mobile" project): picker, drop and paste, each file's row fits the screen and
// its Remove is a 44 px target.

test("on a phone: attach by picker, drop and paste, fit the screen, and arrive", async ({ page }) => {
  await signUp(page);
  await page.getByLabel("Check before sending").uncheck();
  await addRecipient(page, "To", "phone@example.com");
  await page.getByLabel("Subject").fill("Files from a phone");
  const longName = `${"very-long-file-name-".repeat(6)}.pdf`;
  await page
    .getByTestId("attachment-input")
    .setInputFiles({ name: longName, mimeType: "application/pdf", buffer: Buffer.from("%PDF-1.4") });
  await dropFiles(page, [{ name: "dropped.txt", type: "text/plain", text: "dropped" }]);
  await pasteFiles(page, [{ name: "photo.png", type: "image/png", hex: PNG_BYTES.toString("hex") }]);
  await expect(page.getByTestId("attachment")).toHaveCount(3);
  for (const item of await page.getByTestId("attachment").all())
    await expect(item).toContainText(/Attached|inline image/);

  const width = page.viewportSize()!.width;
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
  const remove = await page.getByRole("button", { name: `Remove ${longName}` }).boundingBox();
  expect(remove!.height).toBeGreaterThanOrEqual(44);
  expect(remove!.x + remove!.width).toBeLessThanOrEqual(width);

  await page.getByRole("button", { name: "Send" }).click();
  await expectDeliveredOnce(page.request, "Files from a phone");
  const files = await mailboxFiles(page.request, "Files from a phone");
  expect(files.map((f) => f.filename).sort()).toEqual([longName, "dropped.txt", "photo.png"].sort());
  expect(files.find((f) => f.filename === "photo.png")!.sha256).toBe(sha(PNG_BYTES));
});
