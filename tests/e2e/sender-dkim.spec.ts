import { expect, test } from "@playwright/test";
import { signUp } from "./helpers";

test("set up DKIM for a sender in Settings: the DNS record shows, the key never reaches the browser", async ({
  page,
}) => {
  await signUp(page);
  // A custom sender (its server is never contacted here: signing is set up without sending).
  const created = await page.request.post("/api/senders", {
    data: {
      preset: "custom",
      fromEmail: "news@acme.test",
      label: "Acme news",
      host: "127.0.0.1",
      port: 2525,
      security: "none",
      password: "pw",
    },
  });
  expect(created.status()).toBe(201);

  await page.goto("/settings/senders");
  const card = page.getByTestId("sender-card").filter({ hasText: "Acme news" });
  await card.getByRole("button", { name: "Set up DKIM signing" }).click();
  await expect(card.getByLabel("Selector")).toHaveValue("sv1");
  await card.getByRole("button", { name: "Start signing" }).click();

  await expect(card.getByTestId("dkim-record-name")).toHaveText("sv1._domainkey.acme.test");
  await expect(card.getByTestId("dkim-record-value")).toContainText(
    /^v=DKIM1; k=rsa; p=[A-Za-z0-9+/=]{300,}$/,
  );
  const listed = await page.request.get("/api/senders");
  expect(await listed.text()).not.toContain("PRIVATE KEY");

  await card.getByRole("button", { name: "Stop signing" }).click();
  await expect(card.getByRole("button", { name: "Set up DKIM signing" })).toBeVisible();
  await expect(card.getByTestId("dkim")).toHaveCount(0);
});
