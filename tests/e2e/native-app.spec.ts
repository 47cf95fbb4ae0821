import type { AddressInfo } from "node:net";
import { expect, test, type Page } from "@playwright/test";
import { SMTPServer } from "smtp-server";
import { signUp } from "./helpers";

// Issue 20: dark mode, the first run, the built-in test mailbox named as such, waiting messages with their
// reason and actions, keyboard shortcuts, Settings sections and a readable security log.

async function sandboxSenderId(page: Page): Promise<string> {
  const { senders } = (await (await page.request.get("/api/senders")).json()) as {
    senders: { id: string; kind: string }[];
  };
  return senders.find((s) => s.kind === "sandbox")!.id;
}

async function sendThroughApi(page: Page, senderId: string, subject: string): Promise<string> {
  const res = await page.request.post("/api/messages", {
    data: {
      idempotencyKey: crypto.randomUUID(),
      senderId,
      to: [{ address: "amy@example.com" }],
      subject,
      html: "<p>Hi</p>",
    },
  });
  expect(res.status()).toBe(202);
  return ((await res.json()) as { message: { id: string } }).message.id;
}

const pageBackground = (page: Page) => page.evaluate(() => getComputedStyle(document.body).backgroundColor);

test("dark mode follows the system, a switch overrides it on this device, and mail stays readable", async ({
  page,
}) => {
  await page.emulateMedia({ colorScheme: "dark" });
  await signUp(page);
  await expect(page.locator("html")).toHaveClass(/dark/);
  const dark = await pageBackground(page);
  expect(dark).toBe("rgb(18, 20, 23)");

  // The switch: light, and still light after a reload though the system stays dark.
  await page.getByTestId("theme-toggle").click();
  await expect(page.locator("html")).toHaveClass(/light/);
  await page.reload();
  await expect(page.locator("html")).toHaveClass(/light/);
  expect(await pageBackground(page)).toBe("rgb(255, 255, 255)");

  // Settings → Appearance: back to following the device.
  await page.goto("/settings/appearance");
  // The top bar's switch renders only once the page is interactive: a radio checked before hydration would be
  // put back by React to the stored choice.
  await expect(page.getByTestId("theme-toggle")).toBeVisible();
  await page.getByRole("radio", { name: "Same as this device" }).check();
  await expect(page.locator("html")).toHaveClass(/dark/);

  // A message's own HTML is shown on a light card in the dark theme, so its dark text stays readable.
  const id = await sendThroughApi(page, await sandboxSenderId(page), "Readable in the dark");
  await page.goto(`/messages/${id}`);
  // The page's own main region: while React reveals a streamed page, a copy of its content can sit for a moment
  // in a hidden holder outside it.
  const frame = page.getByRole("main").locator('iframe[title="Message body"]');
  await expect(frame).toBeVisible();
  const card = await frame.evaluate((el) => getComputedStyle(el.parentElement!).backgroundColor);
  expect(card).toBe("rgb(255, 255, 255)");
});

test("the first run says what SecureVault is and offers both paths", async ({ page }) => {
  await signUp(page);
  const welcome = page.getByTestId("welcome");
  await expect(welcome.getByRole("heading", { name: "Welcome to SecureVault" })).toBeVisible();
  await welcome.getByRole("button", { name: "Try the built-in test mailbox" }).click();
  await expect(welcome).toHaveCount(0);
  await expect(page.getByLabel("From")).toContainText("Built-in test mailbox");
  await page.reload();
  await expect(page.getByRole("heading", { name: "New message" })).toBeVisible();
  await expect(page.getByTestId("welcome")).toHaveCount(0);

  // Another new account takes the other path: the sender form opens with the providers.
  await page.context().clearCookies();
  await signUp(page);
  await page.getByRole("link", { name: "Connect your own account" }).click();
  await expect(page).toHaveURL(/\/settings\/senders/);
  await expect(page.getByRole("dialog")).toBeVisible();
  await expect(page.getByRole("combobox", { name: "Provider" })).toBeVisible();
});

test("the built-in test mailbox is named in Sent and on the message's page, with local relative times", async ({
  page,
}) => {
  await signUp(page);
  const id = await sendThroughApi(page, await sandboxSenderId(page), "Only a test");
  await page.goto("/sent");
  const row = page.getByTestId("sent-item").filter({ hasText: "Only a test" });
  await expect(row.locator("[data-status=sent][data-sandbox]")).toContainText("Test mailbox");
  await expect(row).toContainText("just now");
  // The full local time on hover, never the raw ISO string.
  const title = await row.locator("time").getAttribute("title");
  expect(title).toBeTruthy();
  expect(title).not.toContain("T");

  await page.goto(`/messages/${id}`);
  await expect(page.getByTestId("sandbox-note")).toContainText("nothing left this machine");
  await expect(
    page
      .getByRole("list", { name: "Status timeline" })
      .getByText("Delivered to the built-in test mailbox — nothing left this machine", { exact: true }),
  ).toBeVisible();
  await expect(page.getByText("Built-in test mailbox", { exact: false }).first()).toBeVisible();
});

test("a message waiting on a failing sender is marked in Sent and offers Retry now and Cancel", async ({
  page,
}) => {
  const server = new SMTPServer({
    authOptional: false,
    allowInsecureAuth: true,
    // Delivery keeps an idle pooled connection open for a minute: closing need not wait 30 s for it.
    closeTimeout: 1000,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onAuth: (_auth, _s, cb) =>
      cb(Object.assign(new Error("5.7.8 Authentication failed"), { responseCode: 535 })),
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.server.address() as AddressInfo).port;
  try {
    await signUp(page);
    const created = await page.request.post("/api/senders", {
      data: {
        preset: "custom",
        label: "Broken mail",
        fromEmail: "me@acme.test",
        host: "127.0.0.1",
        port,
        security: "none",
        password: "wrong",
      },
    });
    expect(created.status()).toBe(201);
    const { sender } = (await created.json()) as { sender: { id: string } };
    const id = await sendThroughApi(page, sender.id, "Stuck for now");

    await page.goto("/sent");
    const row = page.getByTestId("sent-item").filter({ hasText: "Stuck for now" });
    await expect(row.locator("[data-status=stuck]")).toBeVisible({ timeout: 20_000 });
    await expect(row).toHaveAttribute("data-attention", "warning");

    await row.click();
    await expect(page).toHaveURL(new RegExp(`/messages/${id}`));
    const warning = page.getByTestId("stuck-warning");
    await expect(warning).toContainText("Not sent yet");
    await expect(warning).toContainText("Next try");
    await warning.getByRole("button", { name: "Retry now" }).click();
    await expect(page.getByRole("alert").filter({ hasText: "did not work" })).toHaveCount(0);
    await page.getByTestId("stuck-warning").getByRole("button", { name: "Cancel sending" }).click();
    await expect(page.getByText("Cancelled — this message was not sent.")).toBeVisible();
    await expect(page.locator("[data-status=cancelled]")).toBeVisible();
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

test("keyboard shortcuts: c, /, ?, g then a letter, Esc — and none while typing", async ({ page }) => {
  await signUp(page);
  await page.getByTestId("welcome").getByRole("button", { name: "Try the built-in test mailbox" }).click();
  await page.locator("body").click({ position: { x: 5, y: 300 } });

  for (const [letter, path] of [
    ["s", "/sent"],
    ["o", "/outbox"],
    ["d", "/drafts"],
    ["m", "/mailbox"],
    ["t", "/settings/senders"],
  ] as const) {
    await page.keyboard.press("g");
    await page.keyboard.press(letter);
    await expect(page).toHaveURL(new RegExp(`${path}$`));
  }

  await page.keyboard.press("g");
  await page.keyboard.press("s");
  await expect(page).toHaveURL(/\/sent$/);
  const search = page.getByRole("textbox", { name: "Search sent messages" });
  await expect(search).toBeVisible();
  await page.keyboard.press("/");
  await expect(search).toBeFocused();
  // Typing in a field types: "g o" stays in the search box.
  await page.keyboard.type("go");
  await expect(search).toHaveValue("go");
  await expect(page).toHaveURL(/\/sent$/);
  await page.keyboard.press("Escape");
  await expect(search).not.toBeFocused();

  await page.keyboard.press("Shift+?");
  const dialog = page.getByRole("dialog", { name: "Keyboard shortcuts" });
  await expect(dialog).toContainText("Go to Outbox");
  await expect(dialog).toContainText("Write a new message");
  await page.keyboard.press("Escape");
  await expect(dialog).toHaveCount(0);

  await page.keyboard.press("c");
  await expect(page).toHaveURL(/\/compose/);
  await page.getByLabel("Subject").fill("");
  await page.getByLabel("Subject").pressSequentially("gs c?");
  await expect(page.getByLabel("Subject")).toHaveValue("gs c?");
  await expect(page).toHaveURL(/\/compose/);
  await expect(page.getByRole("dialog")).toHaveCount(0);
});

test("Settings in sections with their own addresses, and a readable security log", async ({ page }) => {
  await signUp(page);
  await page.goto("/settings");
  await expect(page).toHaveURL(/\/settings\/senders$/);
  const sections = page.getByRole("navigation", { name: "Settings sections" });
  await sections.getByRole("link", { name: "Security" }).click();
  await expect(page).toHaveURL(/\/settings\/security$/);
  await expect(sections.getByRole("link", { name: "Security" })).toHaveAttribute("aria-current", "page");

  const log = page.getByTestId("audit-log");
  await expect(log).toContainText("Signed in");
  // The device in words, as Playwright's desktop Chrome reports itself (a Windows user agent).
  await expect(log).toContainText("Chrome on Windows");
  await expect(log).not.toContainText("::ffff:");
  await expect(log).not.toContainText("Mozilla/5.0");
  await expect(log).toContainText("127.0.0.1");

  await page.goBack();
  await expect(page).toHaveURL(/\/settings\/senders$/);
});
