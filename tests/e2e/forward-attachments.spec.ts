import { expect, test } from "@playwright/test";
import { mailboxFiles, sha } from "./attachment-helpers";
import { addRecipient, signUp } from "./helpers";
import {
  openMailboxMessage,
  sandboxSenderId,
  sendFromCompose,
  typeInBody,
  waitForMailbox,
} from "./reply-helpers";

// Issue 16: Forward keeps the original's files. A Mailbox message with a file is forwarded from its page; Compose
// shows the file (removable) and the forward lands in the Mailbox again carrying the same bytes.

test("forwarding a Mailbox message with a file: the file arrives in the Mailbox again", async ({ page }) => {
  await signUp(page, "Ada Lovelace");
  const bytes = Buffer.from(`%PDF-1.7\r\nquarterly figures ${"0123456789".repeat(200)}\r\n`);
  const upload = await page.request.post(`/api/attachments?name=figures.pdf&key=${crypto.randomUUID()}`, {
    headers: { "content-type": "application/pdf" },
    data: bytes,
  });
  expect(upload.status()).toBe(201);
  const { attachment } = (await upload.json()) as { attachment: { id: string } };
  const sent = await page.request.post("/api/messages", {
    data: {
      idempotencyKey: crypto.randomUUID(),
      senderId: await sandboxSenderId(page),
      to: [{ address: "charles@example.com" }],
      subject: "Figures",
      html: "<p>The figures are attached.</p>",
      attachmentIds: [attachment.id],
    },
  });
  expect(sent.status()).toBe(202);
  await waitForMailbox(page, "Figures", 1);

  await openMailboxMessage(page, "Figures");
  await page.getByRole("button", { name: "Forward" }).click();
  await expect(page.getByRole("heading", { name: "Forward" })).toBeVisible();
  const panel = page.getByRole("region", { name: "Attachments" });
  const forwarded = panel
    .getByRole("list", { name: "Files from the original message" })
    .getByRole("listitem");
  await expect(forwarded).toHaveCount(1);
  await expect(forwarded).toContainText("figures.pdf");
  await expect(forwarded).toContainText(/\d+(\.\d+)? KB/);
  await expect(panel.getByRole("button", { name: "Remove figures.pdf" })).toBeVisible();
  await addRecipient(page, "To", "dan@example.com");
  await typeInBody(page, "See the figures.");
  await sendFromCompose(page);

  await waitForMailbox(page, "Fwd: Figures", 1);
  const files = await mailboxFiles(page.request, "Fwd: Figures");
  expect(files.map((f) => [f.filename, f.sha256])).toEqual([["figures.pdf", sha(bytes)]]);
});
