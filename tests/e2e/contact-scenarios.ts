// Address suggestions as a user meets them, on desktop (contacts.spec.ts) and on a phone (contacts-mobile.spec.ts).
import { randomUUID } from "node:crypto";
import { expect, type BrowserContext, type Page } from "@playwright/test";
import { composeReady, signUp } from "./helpers";
import { goOffline } from "./offline-helpers";

async function sendTo(page: Page, addresses: { address: string; name?: string }[], times: number) {
  const { senders } = (await (await page.request.get("/api/senders")).json()) as {
    senders: { id: string; kind: string }[];
  };
  const senderId = senders.find((s) => s.kind === "sandbox")!.id;
  for (let i = 0; i < times; i++) {
    const res = await page.request.post("/api/messages", {
      data: {
        idempotencyKey: randomUUID(),
        senderId,
        to: addresses,
        subject: `Note ${i}`,
        html: "<p>Hi</p>",
      },
    });
    expect(res.status()).toBe(202);
  }
}

/** A user who wrote to Alicia three times and to Alice once. */
async function userWithHistory(page: Page) {
  await signUp(page);
  await sendTo(page, [{ address: "alicia@example.com", name: "Alicia Frequent" }], 3);
  await sendTo(page, [{ address: "alice@example.com" }], 1);
  await page.reload();
  await expect(page.getByRole("heading", { name: "New message" })).toBeVisible();
  await composeReady(page);
}

export async function pickFrequentContactWithKeyboard(page: Page) {
  await userWithHistory(page);
  const to = page.getByRole("combobox", { name: "To", exact: true });
  await to.pressSequentially("ali");
  const list = page.getByRole("listbox", { name: "To suggestions" });
  await expect(list.getByRole("option")).toHaveText([
    "Alicia Frequentalicia@example.com",
    "alice@example.com",
  ]);
  await expect(to).toHaveAttribute("aria-expanded", "true");

  await to.press("ArrowDown");
  const first = list.getByRole("option").first();
  await expect(first).toHaveAttribute("aria-selected", "true");
  await expect(to).toHaveAttribute("aria-activedescendant", (await first.getAttribute("id"))!);
  await to.press("Enter");
  await expect(page.getByTestId("address-chip")).toHaveText(["Alicia Frequent <alicia@example.com>×"]);
  await expect(list).toBeHidden();
  await expect(to).toHaveValue("");

  // Escape closes the list; what was typed stays and Enter takes it as typed.
  await to.pressSequentially("ali");
  await expect(list.getByRole("option")).toHaveText(["alice@example.com"]);
  await to.press("Escape");
  await expect(list).toBeHidden();
  await expect(to).toHaveAttribute("aria-expanded", "false");
  await to.press("Enter");
  await expect(page.getByTestId("address-chip")).toHaveCount(2);
  await expect(page.getByTestId("address-chip").nth(1)).toHaveText("ali×");
}

export async function suggestionsOffline(page: Page, context: BrowserContext) {
  await userWithHistory(page);
  // The page keeps the people it has seen on the device: offline, they are still suggested.
  await expect
    .poll(() =>
      page.evaluate(
        () =>
          new Promise<number>((resolve) => {
            const open = indexedDB.open("securevault");
            open.onsuccess = () => {
              const count = open.result.transaction("contacts").objectStore("contacts").count();
              count.onsuccess = () => resolve(count.result);
            };
          }),
      ),
    )
    .toBe(2);
  await goOffline(context, page);
  const to = page.getByRole("combobox", { name: "To", exact: true });
  await to.pressSequentially("alic");
  const options = page.getByRole("listbox", { name: "To suggestions" }).getByRole("option");
  await expect(options.first()).toContainText("alicia@example.com");
  await options.first().click();
  await expect(page.getByTestId("address-chip")).toHaveText(["Alicia Frequent <alicia@example.com>×"]);
  await context.setOffline(false);
}
