import type { AddressInfo } from "node:net";
import { expect, test } from "@playwright/test";
import { SMTPServer } from "smtp-server";
import { addRecipient, signUp } from "./helpers";

// A sender whose password the server refuses: the message waits instead of failing, Settings and Compose say
// what to fix, and fixing the password sends it.
test("a refused sign-in: the message waits, Settings and Compose warn, a new password sends it", async ({
  page,
}) => {
  let logins = 0;
  const server = new SMTPServer({
    authOptional: false,
    allowInsecureAuth: true,
    // Delivery keeps an idle pooled connection open for a minute: closing need not wait 30 s for it.
    closeTimeout: 1000,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onAuth: (auth, _s, cb) => {
      logins += 1;
      if (auth.password === "right-password") return cb(null, { user: auth.username });
      cb(Object.assign(new Error("5.7.8 Authentication failed"), { responseCode: 535 }));
    },
    onData: (stream, _s, cb) => {
      stream.resume();
      stream.on("end", () => cb());
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.server.address() as AddressInfo).port;

  try {
    await signUp(page);
    const created = await page.request.post("/api/senders", {
      data: {
        preset: "custom",
        label: "Acme mail",
        fromEmail: "me@acme.test",
        host: "127.0.0.1",
        port,
        security: "none",
        password: "wrong-password",
        maxConnections: 1,
      },
    });
    expect(created.status()).toBe(201);

    // Compose works at phone width and from the keyboard.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto("/compose");
    await page.getByLabel("From").selectOption({ label: "me@acme.test — Acme mail" });
    await addRecipient(page, "To", "alice@example.com");
    await page.getByLabel("Subject").fill("Waits for the password");
    await page.getByRole("textbox", { name: "Message body" }).fill("Hello");
    await page.keyboard.press("Control+Enter");
    await expect(page.getByText("Queued — sending to alice@example.com now")).toBeVisible();

    // The sender is marked once the server refuses: Settings says what to do.
    await expect(async () => {
      await page.goto("/settings/senders");
      await expect(page.getByTestId("sign-in-failed")).toBeVisible({ timeout: 1000 });
    }).toPass();
    const card = page.getByTestId("sender-card").filter({ hasText: "Acme mail" });
    await expect(card.getByTestId("sign-in-failed")).toContainText("Sign-in to Acme mail failed");
    await expect(card.getByTestId("sign-in-failed")).toContainText("rejected the username or password");

    // Choosing it on Compose warns before anything is written.
    await page.goto("/compose");
    await page.getByLabel("From").selectOption({ label: "me@acme.test — Acme mail" });
    await expect(page.getByText("Sign-in to Acme mail failed — fix the password in")).toBeVisible();

    // The message waits, queued, with the reason; one sign-in was tried, not one per retry.
    const list = await page.request.get("/api/messages?q=Waits");
    const [message] = ((await list.json()) as { items: { id: string; status: string }[] }).items;
    expect(message!.status).toBe("queued");
    expect(logins).toBe(1);

    await page.goto("/settings/senders");
    await card.getByRole("button", { name: "Edit" }).click();
    await page.getByLabel("New password (leave empty to keep)").fill("right-password");
    await page.getByRole("button", { name: "Save" }).click();
    await expect(card.getByTestId("sign-in-failed")).toHaveCount(0);

    await page.goto(`/messages/${message!.id}`);
    await expect(async () => {
      await page.reload();
      await expect(page.locator("[data-status=sent]")).toBeVisible({ timeout: 1000 });
    }).toPass();
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});
