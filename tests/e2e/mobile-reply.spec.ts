import { expect, test, type Page } from "@playwright/test";
import { signUp } from "./helpers";
import {
  openMailboxMessage,
  sendFromCompose,
  sendToMailbox,
  seriousViolationsOutsideMail,
  typeInBody,
  waitForMailbox,
} from "./reply-helpers";

// Reply and the live preview on a phone (the "mobile" project: Pixel 7).

async function expectNoSidewaysScroll(page: Page) {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  }));
  expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
}

test("on a phone: reply from the Mailbox with the threading headers, and preview what is typed", async ({
  page,
}) => {
  await signUp(page, "Ada Lovelace");
  await sendToMailbox(page, {
    to: ["charles@example.com"],
    subject: "Train times",
    html: "<p>Which train do you take?</p>",
  });
  const originalId = await openMailboxMessage(page, "Train times");
  await expectNoSidewaysScroll(page);
  expect(await seriousViolationsOutsideMail(page)).toEqual([]);
  const reply = page.getByRole("button", { name: "Reply", exact: true });
  expect((await reply.boundingBox())!.height).toBeGreaterThanOrEqual(44);
  await reply.tap();

  await expect(page.getByLabel("Subject")).toHaveValue("Re: Train times");
  await expect(page.getByTestId("address-chip")).toHaveText([/^charles@example\.com/]);
  await typeInBody(page, "The 8:15.");
  await page.getByRole("button", { name: "Preview" }).tap();
  const preview = page.frameLocator('iframe[title="Preview of the message"]');
  await expect(preview.locator("body")).toContainText("The 8:15.");
  await expect(preview.locator("blockquote")).toContainText("Which train do you take?");
  await page.getByText("Plain-text part").tap();
  await expect(page.getByTestId("preview-text")).toContainText("> Which train do you take?");
  await expectNoSidewaysScroll(page);
  expect(await seriousViolationsOutsideMail(page)).toEqual([]);
  await page.getByRole("button", { name: "Hide preview" }).tap();
  await expect(page.getByRole("region", { name: "Preview" })).toHaveCount(0);

  await sendFromCompose(page);
  await waitForMailbox(page, "Re: Train times", 1);
  await openMailboxMessage(page, "Re: Train times");
  await page.getByText("Thread headers").tap();
  await expect(page.getByTestId("in-reply-to")).toHaveText(`In-Reply-To: ${originalId}`);
  await expect(page.getByTestId("references")).toHaveText(`References: ${originalId}`);
});
