import { expect, test } from "@playwright/test";
import { signUp } from "./helpers";
import { expectDeliveredOnce, goOffline, waitForServiceWorker, waitForWarmPages } from "./offline-helpers";
import { openMailboxMessage, sendToMailbox, typeInBody } from "./reply-helpers";

// A reply written offline to a message the device has: the draft is made on the device, the outbox carries
// the threading headers, and the copy delivered after reconnecting has them.

test("reply offline to a message the device has: queued, then delivered once with In-Reply-To", async ({
  page,
  context,
}) => {
  await signUp(page, "Ada Lovelace");
  await waitForServiceWorker(page);
  await waitForWarmPages(page);
  await sendToMailbox(page, { to: ["charles@example.com"], subject: "Tunnel", html: "<p>Are you in?</p>" });
  const originalId = await openMailboxMessage(page, "Tunnel");

  await goOffline(context, page);
  await page.getByRole("button", { name: "Reply", exact: true }).click();
  await expect(page.getByLabel("Subject")).toHaveValue("Re: Tunnel");
  await typeInBody(page, "Yes, just now.");
  const check = page.getByLabel("Check before sending");
  if (await check.isChecked()) await check.uncheck();
  await page.keyboard.press("Control+Enter");
  await expect(page.getByText("Queued — will send when online")).toBeVisible();

  await context.setOffline(false);
  await expectDeliveredOnce(page.request, "Re: Tunnel");
  await openMailboxMessage(page, "Re: Tunnel");
  await page.getByText("Thread headers").click();
  await expect(page.getByTestId("in-reply-to")).toHaveText(`In-Reply-To: ${originalId}`);
  await expect(page.getByTestId("references")).toHaveText(`References: ${originalId}`);
});
