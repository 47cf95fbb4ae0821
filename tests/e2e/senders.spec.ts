import type { AddressInfo } from "node:net";
import { expect, test } from "@playwright/test";
import { SMTPServer } from "smtp-server";
import { signUp } from "./helpers";

test("add a custom SMTP sender, test the connection, fix the password, and see it pass", async ({ page }) => {
  const server = new SMTPServer({
    authOptional: false,
    allowInsecureAuth: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onAuth: (auth, _s, cb) =>
      auth.password === "right-password"
        ? cb(null, { user: auth.username })
        : cb(Object.assign(new Error("5.7.8 Authentication failed"), { responseCode: 535 })),
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.server.address() as AddressInfo).port;

  try {
    await signUp(page);
    await page.getByRole("link", { name: "Settings" }).first().click();
    await expect(page.getByTestId("sender-card")).toHaveCount(1);
    await expect(page.getByTestId("sender-card")).toContainText("Built-in test mailbox");

    await page.getByRole("button", { name: "Add sender" }).click();
    await page.getByRole("combobox", { name: "Provider" }).click();
    await page.getByRole("option", { name: "Other SMTP server" }).click();
    await page.getByRole("textbox", { name: "Email address", exact: true }).fill("me@acme.test");
    await page.getByLabel("Label").fill("Acme mail");
    await page.getByRole("textbox", { name: "SMTP server" }).fill("127.0.0.1");
    await page.getByRole("spinbutton", { name: "Port" }).fill(String(port));
    await page.getByRole("combobox", { name: "Security" }).click();
    await page.getByRole("option", { name: "None (not encrypted)" }).click();
    await page.getByRole("textbox", { name: "Password", exact: true }).fill("wrong-password");
    await page.getByRole("button", { name: "Save", exact: true }).click();
    // The connection is tested before saving: the reason shows, and saving a broken sender is a choice.
    await expect(page.getByTestId("sender-test-failed")).toContainText("rejected the username or password");
    await expect(page.getByTestId("sender-card")).toHaveCount(1);
    await page.getByRole("button", { name: "Save anyway" }).click();

    const card = page.getByTestId("sender-card").filter({ hasText: "Acme mail" });
    await expect(card).toContainText(`127.0.0.1:${port}`);
    await card.getByRole("button", { name: "Test connection" }).click();
    await expect(card.getByTestId("test-result")).toContainText("rejected the username or password");

    await card.getByRole("button", { name: "Edit" }).click();
    await page.getByLabel("New password (leave empty to keep)").fill("right-password");
    // It passes the test, so it is saved at once.
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await expect(page.getByRole("dialog")).toBeHidden();
    await card.getByRole("button", { name: "Test connection" }).click();
    await expect(card.getByTestId("test-result")).toContainText("signed in successfully");

    // The password is never sent back to the browser.
    const api = await page.request.get("/api/senders");
    expect(await api.text()).not.toContain("right-password");
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

test("a custom sender needs a host, port and security mode", async ({ page }) => {
  await signUp(page);
  await page.goto("/settings/senders");
  await page.getByRole("button", { name: "Add sender" }).click();
  await page.getByRole("combobox", { name: "Provider" }).click();
  await page.getByRole("option", { name: "Other SMTP server" }).click();
  await page.getByRole("textbox", { name: "Email address", exact: true }).fill("me@acme.test");
  await page.getByRole("textbox", { name: "SMTP server" }).fill("");
  await page.getByRole("textbox", { name: "Password", exact: true }).fill("x");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText("Enter the SMTP server's host name.").first()).toBeVisible();
});

test("moving a sender to another server asks for its password again", async ({ page }) => {
  await signUp(page);
  const created = await page.request.post("/api/senders", {
    data: {
      preset: "custom",
      label: "Relay",
      fromEmail: "me@acme.test",
      host: "127.0.0.1",
      port: 587,
      security: "none",
      password: "relay-password",
    },
  });
  expect(created.status()).toBe(201);
  await page.goto("/settings/senders");
  const card = page.getByTestId("sender-card").filter({ hasText: "Relay" });
  await card.getByRole("button", { name: "Edit" }).click();
  await expect(page.getByLabel("New password (leave empty to keep)")).toBeVisible();

  await page.getByRole("spinbutton", { name: "Port" }).fill("2525");
  const password = page.getByLabel(/^Password \(needed again for the new server or username\)/);
  await expect(password).toBeVisible();
  // Saving without it is refused by the server, naming the field.
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByText(/Enter the password again/).first()).toBeVisible();
  await expect(page.getByRole("dialog")).toBeVisible();

  await password.fill("relay-password");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  // Nothing listens on 2525 here: the test before saving says so, and the user saves it anyway.
  await expect(page.getByTestId("sender-test-failed")).toBeVisible();
  await page.getByRole("button", { name: "Save anyway" }).click();
  await expect(page.getByRole("dialog")).toBeHidden();
  await expect(card).toContainText("127.0.0.1:2525");
});
