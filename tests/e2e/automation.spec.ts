import { expect, test } from "@playwright/test";
import { Webhook } from "standardwebhooks";
import { startWebhookReceiver } from "../support/webhook-receiver";
import { PASSWORD, signUp } from "./helpers";

test("create an API key and a webhook in Settings, use the key, and receive a signed test event", async ({
  page,
}) => {
  const receiver = await startWebhookReceiver();
  try {
    await signUp(page);
    await page.goto("/settings/automation");

    // An API key: the password is asked for, the key shown once.
    const keyForm = page.getByRole("form", { name: "Create API key" });
    await keyForm.getByLabel("Key name").fill("My script");
    await keyForm.getByLabel("Your password").fill(PASSWORD);
    await keyForm.getByRole("button", { name: "Create key" }).click();
    const shownKey = keyForm.locator("..").getByTestId("secret-shown-once");
    await expect(shownKey).toHaveValue(/^sv_live_[0-9A-Za-z]{32}$/);
    const key = await shownKey.inputValue();
    const keyList = page.getByRole("list", { name: "API keys" });
    await expect(keyList).toContainText("My script");
    await expect(keyList).toContainText(key.slice(0, 12));
    expect(await (await page.request.get("/api/account/api-keys")).text()).not.toContain(key);

    // The key works against /api/v1, without the browser's session.
    const api = await page.request.get("/api/v1/messages", {
      headers: { authorization: `Bearer ${key}`, cookie: "" },
    });
    expect(api.status()).toBe(200);
    expect(api.headers()["ratelimit-policy"]).toContain("per-key");

    // A webhook to a local receiver: its signing secret is shown once; "Send test" delivers a signed event.
    const hookForm = page.getByRole("form", { name: "Add webhook" });
    await hookForm.getByRole("textbox", { name: "URL" }).fill(receiver.url);
    await hookForm.getByRole("button", { name: "Add webhook" }).click();
    const secret = await hookForm.locator("..").getByTestId("secret-shown-once").inputValue();
    expect(secret).toMatch(/^whsec_/);
    const hooks = page.getByRole("list", { name: "Webhooks" });
    await expect(hooks).toContainText(receiver.url);
    await hooks.getByRole("button", { name: "Send test" }).click();
    await expect.poll(() => receiver.received.length).toBe(1);
    const got = receiver.received[0]!;
    const event = new Webhook(secret).verify(got.body, got.headers as Record<string, string>) as {
      type: string;
    };
    expect(event.type).toBe("webhook.test");
    await expect(page.getByRole("list", { name: "Deliveries" })).toContainText("delivered");

    // Revoked, the key stops working at once.
    page.once("dialog", (dialog) => void dialog.accept());
    await keyList.getByRole("button", { name: "Revoke My script" }).click();
    await expect(keyList).toContainText("Revoked");
    const after = await page.request.get("/api/v1/messages", {
      headers: { authorization: `Bearer ${key}`, cookie: "" },
    });
    expect(after.status()).toBe(401);
  } finally {
    await receiver.close();
  }
});

test("the API reference lists every operation and tries one with a key", async ({ page }) => {
  await signUp(page);
  const created = await page.request.post("/api/account/api-keys", {
    data: { name: "Reference", scopes: ["messages:read"], password: PASSWORD },
  });
  expect(created.status()).toBe(201);
  const { key } = (await created.json()) as { key: string };
  await page.goto("/settings/api-reference");
  await expect(page.getByRole("heading", { name: "API reference" })).toBeVisible();
  await expect(page.getByText("/api/v1/messages/{id}/cancel")).toBeVisible();
  await page.getByLabel("API key for “Try it”").fill(key);
  await page.getByRole("button", { name: /List messages, newest first/ }).click();
  // The operation's own panel: every open operation has a Send request button.
  const listMessages = page.getByRole("region", { name: /List messages, newest first/ });
  const answered = page.waitForResponse(
    (r) => new URL(r.url()).pathname === "/api/v1/messages" && r.request().method() === "GET",
  );
  await listMessages.getByRole("button", { name: "Send request" }).click();
  // The request went out with the key and was answered; the panel shows what came back.
  expect((await answered).status()).toBe(200);
  await expect(listMessages.getByRole("status")).toContainText("200");
  await expect(listMessages.getByRole("status")).toContainText('"items"');
  const doc = await (await page.request.get("/api/v1/openapi.json")).json();
  expect(doc.openapi).toBe("3.1.0");
});
