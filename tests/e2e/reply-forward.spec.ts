import { expect, test, type Page } from "@playwright/test";
import { fakeOpenAiPort } from "../../playwright.config";
import { addRecipient, signUp } from "./helpers";
import {
  openMailboxMessage,
  sendFromCompose,
  sendToMailbox,
  typeInBody,
  waitForMailbox,
} from "./reply-helpers";

// Issue 16: Reply, Reply all and Forward from the Mailbox and from Sent, with the threading headers read back
// from the captured copies; signatures that follow the From; the live preview.

const fakeOpenAi = `http://127.0.0.1:${fakeOpenAiPort}`;
const chips = (page: Page) => page.getByTestId("address-chip");

test("reply all from the Mailbox (r, a keys): without me, Re: once, quoted, with In-Reply-To and References", async ({
  page,
}) => {
  const me = await signUp(page, "Ada Lovelace");
  await sendToMailbox(page, {
    to: ["charles@example.com"],
    cc: ["mary@example.com", me],
    subject: "RE: Engine",
    html: "<p>Can you check the <strong>figures</strong> by Friday?</p>",
  });
  const originalId = await openMailboxMessage(page, "RE: Engine");

  // "a" on the message page: Reply all. Never while typing; here nothing has focus.
  await page.keyboard.press("a");
  await expect(page).toHaveURL(/\/compose\?draft=/);
  await expect(page.getByRole("heading", { name: "Reply" })).toBeVisible();
  await expect(page.getByLabel("Subject")).toHaveValue("Re: Engine");
  await expect(chips(page)).toHaveText([/^charles@example\.com/, /^mary@example\.com/]);
  await expect(chips(page).filter({ hasText: me })).toHaveCount(0);
  const quote = page.frameLocator('iframe[title="Quoted message"]');
  await expect(quote.locator("blockquote strong")).toHaveText("figures");
  await expect(quote.locator("p").first()).toContainText("Ada Lovelace");
  await expect(quote.locator("p").first()).toContainText("wrote:");

  await typeInBody(page, "Checked, all correct.");
  await sendFromCompose(page);

  await waitForMailbox(page, "Re: Engine", 1);
  const replyId = await openMailboxMessage(page, "Re: Engine");
  expect(replyId).not.toBe(originalId);
  await page.getByText("Thread headers").click();
  await expect(page.getByTestId("in-reply-to")).toHaveText(`In-Reply-To: ${originalId}`);
  await expect(page.getByTestId("references")).toHaveText(`References: ${originalId}`);
  await page.getByText("Plain-text version").click();
  const text = page.getByTestId("plain-text");
  await expect(text).toContainText("Checked, all correct.");
  await expect(text).toContainText("> Can you check the figures by Friday?");

  // A reply to the reply: References grows by the parent's Message-ID ("r" is Reply).
  await page.keyboard.press("r");
  await expect(page.getByLabel("Subject")).toHaveValue("Re: Engine");
  await expect(chips(page)).toHaveText([/^charles@example\.com/]);
  await typeInBody(page, "One more thing.");
  await sendFromCompose(page);
  await waitForMailbox(page, "Re: Engine", 2);
  await page.goto("/mailbox");
  await page.getByTestId("mailbox-item").filter({ hasText: "Re: Engine" }).first().click();
  await page.getByText("Thread headers").click();
  await expect(page.getByTestId("in-reply-to")).toHaveText(`In-Reply-To: ${replyId}`);
  await expect(page.getByTestId("references")).toHaveText(`References: ${originalId} ${replyId}`);
});

test("forward from the Mailbox and reply from Sent", async ({ page }) => {
  await signUp(page, "Ada Lovelace");
  await sendToMailbox(page, {
    to: ["charles@example.com"],
    subject: "Fwd: Minutes",
    html: "<p>Minutes of Tuesday.</p>",
  });
  await openMailboxMessage(page, "Fwd: Minutes");
  await page.getByRole("button", { name: "Forward" }).click();
  await expect(page.getByRole("heading", { name: "Forward" })).toBeVisible();
  await expect(page.getByLabel("Subject")).toHaveValue("Fwd: Minutes");
  await expect(chips(page)).toHaveCount(0);
  await addRecipient(page, "To", "dan@example.com");
  await typeInBody(page, "For your files.");
  await sendFromCompose(page);

  // The forward's copy: the "Forwarded message" block with the original, no threading headers.
  await waitForMailbox(page, "Fwd: Minutes", 2);
  await page.goto("/mailbox");
  const copies = page.getByTestId("mailbox-item").filter({ hasText: "Fwd: Minutes" });
  await expect(copies).toHaveCount(2);
  await copies.first().click();
  await expect(page.getByText("To: dan@example.com")).toBeVisible();
  const body = page.frameLocator('iframe[title="Captured message"]');
  await expect(body.locator("body")).toContainText("---------- Forwarded message ---------");
  await expect(body.locator("body")).toContainText("Minutes of Tuesday.");
  await expect(page.getByText("Thread headers")).toHaveCount(0);

  // From a sent message's page: Reply goes to the people it was sent to.
  await page.goto("/sent");
  await page.getByTestId("sent-item").filter({ hasText: "Fwd: Minutes" }).filter({ hasText: "dan@" }).click();
  await page.getByRole("button", { name: "Reply", exact: true }).click();
  await expect(page.getByLabel("Subject")).toHaveValue("Re: Fwd: Minutes");
  await expect(chips(page)).toHaveText([/^dan@example\.com/]);
});

test("signatures: set in Settings → Senders, follow the From without touching the text, shown in the preview", async ({
  page,
}) => {
  await signUp(page, "Ada Lovelace");
  // A second sender (never used to send here), with a signature of its own set through the API.
  const added = await page.request.post("/api/senders", {
    data: {
      preset: "custom",
      label: "Work",
      fromEmail: "ada@engines.example",
      host: "127.0.0.1",
      port: 9,
      security: "none",
      password: "pw",
    },
  });
  expect(added.status()).toBe(201);
  const workId = ((await added.json()) as { sender: { id: string } }).sender.id;
  expect(
    (
      await page.request.put(`/api/senders/${workId}/signature`, {
        data: { html: "<p>Ada, Engines Ltd</p>" },
      })
    ).status(),
  ).toBe(200);

  await page.goto("/settings/senders");
  const sandboxCard = page.getByTestId("sender-card").filter({ hasText: "Built-in" });
  await expect(sandboxCard.getByTestId("signature-state")).toHaveText("No signature");
  await sandboxCard.getByRole("button", { name: "Signature" }).click();
  const dialog = page.getByRole("dialog", { name: /Signature of/ });
  const editor = dialog.getByRole("textbox", { name: "Signature" });
  await editor.click();
  await editor.pressSequentially("Ada Lovelace, Analyst");
  await dialog.getByRole("button", { name: "Save signature" }).click();
  await expect(dialog).toHaveCount(0);
  await expect(sandboxCard.getByTestId("signature-state")).toHaveText("Signature: added to new messages");

  await page.goto("/compose?new=1");
  const signature = page.frameLocator('iframe[title="Signature"]');
  await expect(signature.locator("body")).toHaveText("Ada Lovelace, Analyst");
  await typeInBody(page, "Dear Charles,");
  const from = page.getByLabel("From");
  await from.selectOption(workId);
  await expect(signature.locator("body")).toHaveText("Ada, Engines Ltd");
  await expect(page.getByRole("textbox", { name: "Message body" })).toHaveText("Dear Charles,");

  // The preview: what is typed, then the signature; the plain-text part with the "-- " line.
  await page.getByRole("button", { name: "Preview" }).click();
  const preview = page.frameLocator('iframe[title="Preview of the message"]');
  await expect(preview.locator("body")).toContainText("Dear Charles,");
  await expect(preview.locator(".sv-signature")).toHaveText("Ada, Engines Ltd");
  await typeInBody(page, " the figures are in.");
  await expect(preview.locator("body")).toContainText("Dear Charles, the figures are in.");
  await page.getByText("Plain-text part").click();
  await expect(page.getByTestId("preview-text")).toHaveText(
    "Dear Charles, the figures are in.\n\n-- \nAda, Engines Ltd",
  );
  await page.getByRole("button", { name: "Phone" }).click();
  const frame = await page.getByTestId("preview-frame").boundingBox();
  expect(frame!.width).toBeLessThanOrEqual(375);

  // Back to the built-in sender: its signature again, the text untouched.
  await from.selectOption({ index: 0 });
  await expect(signature.locator("body")).toHaveText("Ada Lovelace, Analyst");
  await expect(preview.locator(".sv-signature")).toHaveText("Ada Lovelace, Analyst");
  await expect(page.getByRole("textbox", { name: "Message body" })).toHaveText(
    "Dear Charles, the figures are in.",
  );
});

test("r, a and f are listed in the ? dialog; f forwards", async ({ page }) => {
  await signUp(page);
  await sendToMailbox(page, { to: ["charles@example.com"], subject: "Shortcut test", html: "<p>x</p>" });
  await openMailboxMessage(page, "Shortcut test");
  await page.keyboard.press("?");
  const dialog = page.getByRole("dialog", { name: "Keyboard shortcuts" });
  await expect(dialog).toContainText("Reply (on a message)");
  await expect(dialog).toContainText("Reply all (on a message)");
  await expect(dialog).toContainText("Forward (on a message)");
  await page.keyboard.press("Escape");
  await expect(dialog).toHaveCount(0);
  await page.keyboard.press("f");
  await expect(page.getByLabel("Subject")).toHaveValue("Fwd: Shortcut test");
});

test("the pre-send check of a reply reviews it against the quoted message", async ({ page, request }) => {
  await signUp(page);
  await sendToMailbox(page, {
    to: ["charles@example.com"],
    subject: "Questions",
    html: "<p>Can you come on Monday? And who brings the slides?</p>",
  });
  await openMailboxMessage(page, "Questions");
  await page.getByRole("button", { name: "Reply", exact: true }).click();
  await typeInBody(page, "Yes, I can come.");
  await request.post(`${fakeOpenAi}/__script`, {
    data: {
      scripts: [
        {
          kind: "json",
          content: {
            findings: [{ kind: "unanswered_question", message: "Who brings the slides is not answered." }],
          },
        },
      ],
    },
  });
  await expect(page.getByLabel("Check before sending")).toBeChecked();
  await page.getByRole("button", { name: "Send", exact: true }).click();
  const dialog = page.getByRole("dialog", { name: "Before you send" });
  await expect(dialog).toContainText("Who brings the slides is not answered.");
  const recorded = (await (await request.get(`${fakeOpenAi}/__requests`)).json()) as {
    body: { messages: { role: string; content: string }[] };
  }[];
  const review = recorded
    .map((r) => r.body.messages.find((m) => m.role === "user")?.content ?? "")
    .filter((content) => content.includes('"task":"review"'))
    .at(-1);
  const data = JSON.parse(review!) as { body: string; quoted?: string };
  expect(data.body).toContain("Yes, I can come.");
  expect(data.quoted).toContain("And who brings the slides?");

  // A draft from the assistant is written in answer to the quoted message too.
  await dialog.getByRole("button", { name: "Keep editing" }).click();
  await request.post(`${fakeOpenAi}/__script`, {
    data: { scripts: [{ kind: "stream", pieces: ["Yes, and I bring the slides."] }] },
  });
  await page.getByRole("button", { name: "Draft with AI" }).click();
  await page.getByLabel("What should the email say?").fill("Say yes and that I bring the slides");
  await page.getByRole("button", { name: "Write draft" }).click();
  await expect(page.getByRole("textbox", { name: "Message body" })).toContainText("I bring the slides.");
  const drafted = ((await (await request.get(`${fakeOpenAi}/__requests`)).json()) as typeof recorded)
    .map((r) => r.body.messages.find((m) => m.role === "user")?.content ?? "")
    .filter((content) => content.includes('"task":"draft"'))
    .at(-1);
  expect((JSON.parse(drafted!) as { quoted?: string }).quoted).toContain("Can you come on Monday?");
});
