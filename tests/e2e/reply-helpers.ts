import AxeBuilder from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";

// Reply and forward e2e: messages sent through the built-in test mailbox land in the Mailbox, where they are
// answered from.

export async function sandboxSenderId(page: Page): Promise<string> {
  const { senders } = (await (await page.request.get("/api/senders")).json()) as {
    senders: { id: string; kind: string }[];
  };
  return senders.find((s) => s.kind === "sandbox")!.id;
}

/** Sends through the sandbox (as another client would) and waits until the Mailbox has captured it. */
export async function sendToMailbox(
  page: Page,
  message: { to: string[]; cc?: string[]; subject: string; html: string },
): Promise<void> {
  const res = await page.request.post("/api/messages", {
    data: {
      idempotencyKey: crypto.randomUUID(),
      senderId: await sandboxSenderId(page),
      to: message.to.map((address) => ({ address })),
      cc: (message.cc ?? []).map((address) => ({ address })),
      subject: message.subject,
      html: message.html,
    },
  });
  expect(res.status()).toBe(202);
  await waitForMailbox(page, message.subject, 1);
}

/** Waits until the Mailbox holds this many captured messages with the subject. */
export async function waitForMailbox(page: Page, subject: string, count: number): Promise<void> {
  await expect
    .poll(async () => {
      const list = (await (await page.request.get("/api/mailbox")).json()) as {
        items: { subject: string }[];
      };
      return list.items.filter((m) => m.subject === subject).length;
    })
    .toBe(count);
}

/** Opens the Mailbox message with this subject; returns its Message-ID as the page shows it. */
export async function openMailboxMessage(page: Page, subject: string): Promise<string> {
  await page.goto("/mailbox");
  await page.getByTestId("mailbox-item").filter({ hasText: subject }).first().click();
  await expect(page.getByRole("heading", { name: subject, exact: true })).toBeVisible();
  const shown = (await page.getByTestId("message-id").textContent()) ?? "";
  const id = /<[^>]+>/.exec(shown)?.[0];
  expect(id, "the Mailbox page shows the Message-ID").toBeTruthy();
  return id!;
}

/** Writes in Compose's editor after what is there. */
export async function typeInBody(page: Page, text: string) {
  const editor = page.getByRole("textbox", { name: "Message body" });
  await editor.click();
  await editor.pressSequentially(text);
}

/** Sends from Compose without the pre-send check, and waits for the notice. */
export async function sendFromCompose(page: Page) {
  const check = page.getByLabel("Check before sending");
  if (await check.isChecked()) await check.uncheck();
  await page.getByRole("button", { name: "Send", exact: true }).click();
  await expect(page.getByText(/Queued — sending to|Sent to/).first()).toBeVisible();
}

/** Serious or critical axe-core findings on the app's own markup (mail HTML in its frames is the sender's). */
export async function seriousViolationsOutsideMail(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page })
    .exclude('iframe[title="Quoted message"]')
    .exclude('iframe[title="Preview of the message"]')
    .exclude('iframe[title="Signature"]')
    .exclude('iframe[title="Captured message"]')
    .analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}
