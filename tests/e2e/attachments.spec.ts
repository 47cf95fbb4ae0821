import { expect, test } from "@playwright/test";
import { draftFileCount, dropFiles, mailboxFiles, pasteFiles, PNG_BYTES, sha } from "./attachment-helpers";
import { addRecipient, signUp } from "./helpers";
import { expectDeliveredOnce, signUpAndGoOffline, writeMessage } from "./offline-helpers";

test.use({ permissions: ["background-sync"] });

const REPORT = Buffer.from("Quarterly report\n".repeat(2000));

test("files attached by picker, drop and paste arrive with the message, names and bytes intact", async ({
  page,
}) => {
  await signUp(page);
  await page.getByLabel("Check before sending").uncheck();
  await addRecipient(page, "To", "files@example.com");
  await page.getByLabel("Subject").fill("Three ways to attach");

  await page
    .getByTestId("attachment-input")
    .setInputFiles({ name: "Résumé 2026.txt", mimeType: "text/plain", buffer: REPORT });
  await dropFiles(page, [{ name: "dropped.csv", type: "text/csv", text: "a;b\n1;2\n" }]);
  await pasteFiles(page, [{ name: "screenshot.png", type: "image/png", hex: PNG_BYTES.toString("hex") }]);

  const items = page.getByTestId("attachment");
  await expect(items).toHaveCount(3);
  await expect(items.filter({ hasText: "Résumé 2026.txt" })).toContainText("Attached");
  await expect(items.filter({ hasText: "dropped.csv" })).toContainText("Attached");
  await expect(items.filter({ hasText: "screenshot.png" })).toContainText("inline image");
  // The encoded size is shown: 34 000 bytes become about 46 KB with base64 and the part headers.
  await expect(items.filter({ hasText: "Résumé 2026.txt" })).toContainText("46 KB");

  await page.getByRole("button", { name: "Send" }).click();
  await expect(page.getByText(/Queued — sending|Sent/).first()).toBeVisible();
  await expectDeliveredOnce(page.request, "Three ways to attach");
  const files = await mailboxFiles(page.request, "Three ways to attach");
  expect(files.map((f) => [f.filename, f.sha256]).sort()).toEqual(
    [
      ["Résumé 2026.txt", sha(REPORT)],
      ["dropped.csv", sha(Buffer.from("a;b\n1;2\n"))],
      ["screenshot.png", sha(PNG_BYTES)],
    ].sort(),
  );
});

test("a file removed while it uploads is dropped, and the message goes without it", async ({ page }) => {
  await signUp(page);
  await page.getByLabel("Check before sending").uncheck();
  await addRecipient(page, "To", "removed@example.com");
  await page.getByLabel("Subject").fill("Without the big file");
  await page.getByTestId("attachment-input").setInputFiles([
    { name: "big.bin", mimeType: "application/octet-stream", buffer: Buffer.alloc(8 * 1024 * 1024, 1) },
    { name: "small.txt", mimeType: "text/plain", buffer: Buffer.from("small") },
  ]);
  await page.getByRole("button", { name: "Remove big.bin" }).click();
  await expect(page.getByTestId("attachment")).toHaveCount(1);
  await expect(page.getByTestId("attachment")).toContainText("Attached");
  await page.getByRole("button", { name: "Send" }).click();
  await expectDeliveredOnce(page.request, "Without the big file");
  expect((await mailboxFiles(page.request, "Without the big file")).map((f) => f.filename)).toEqual([
    "small.txt",
  ]);
});

test("sent offline with a file: delivered exactly once, with the file, when the connection returns", async ({
  page,
  context,
}) => {
  await signUpAndGoOffline(page, context);
  await page.getByLabel("Check before sending").uncheck();
  await writeMessage(page, "train@example.com", "A file from the train");
  await page
    .getByTestId("attachment-input")
    .setInputFiles({ name: "notes.txt", mimeType: "text/plain", buffer: REPORT });
  await expect(page.getByTestId("attachment")).toContainText("Waiting for a connection");
  // Kept in the draft (with its bytes) across a reload.
  await expect.poll(() => draftFileCount(page)).toBe(1);
  await page.reload();
  await expect(page.getByTestId("attachment")).toContainText("notes.txt");
  await page.getByRole("button", { name: "Send" }).click();
  await expect(page.getByText("Queued — will send when online")).toBeVisible();

  await context.setOffline(false);
  await expectDeliveredOnce(page.request, "A file from the train");
  const files = await mailboxFiles(page.request, "A file from the train");
  expect(files.map((f) => [f.filename, f.sha256])).toEqual([["notes.txt", sha(REPORT)]]);
});
