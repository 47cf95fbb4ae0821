import { expect, test, type APIRequestContext } from "@playwright/test";
import { fakeOpenAiPort } from "../../playwright.config";
import type { Script } from "../support/fake-openai";
import { addRecipient, signUp } from "./helpers";
import { expectDeliveredOnce } from "./offline-helpers";

const fakeOpenAi = `http://127.0.0.1:${fakeOpenAiPort}`;
const script = (request: APIRequestContext, ...scripts: Script[]) =>
  request.post(`${fakeOpenAi}/__script`, { data: { scripts } });

test("an instruction becomes a streamed draft in the editor, and one undo removes it", async ({
  page,
  request,
}) => {
  await signUp(page);
  const pieces = [
    "Hi Sam,",
    "\n\nThank you ",
    "for sending ",
    "the signed ",
    "contract. ",
    "Shall we ",
    "talk on ",
    "Tuesday?",
  ];
  await script(request, { kind: "stream", pieces, delayMs: 150 });

  await page.getByRole("button", { name: "Draft with AI" }).click();
  await page.getByLabel("What should the email say?").fill("Thank Sam for the contract, propose a call");
  await page.getByRole("button", { name: "Write draft" }).click();

  const editor = page.getByRole("textbox", { name: "Message body" });
  // It arrives in pieces: the start is there while the assistant is still writing.
  await expect(editor).toContainText("Hi Sam,");
  await expect(page.getByRole("status").filter({ hasText: "Writing a draft…" })).toBeVisible();
  await expect(editor).toContainText("Shall we talk on Tuesday?");
  await expect(page.getByRole("status").filter({ hasText: "Writing a draft…" })).toHaveCount(0);
  await expect(editor.locator("p")).toHaveCount(2);

  await editor.click();
  await page.keyboard.press("Control+z");
  await expect(editor).not.toContainText("Hi Sam");
  await expect(editor).toHaveText("");
});

test("rewrite replaces the selection, and undo brings the original back", async ({ page, request }) => {
  await signUp(page);
  const editor = page.getByRole("textbox", { name: "Message body" });
  await editor.click();
  await editor.pressSequentially("i think we shud meet tomorow");
  await page.keyboard.press("Control+a");
  await script(request, { kind: "stream", pieces: ["I think we ", "should meet tomorrow."] });
  await page.getByRole("button", { name: "Rewrite" }).click();
  await page.getByRole("menuitem", { name: "Fix spelling and grammar" }).click();
  await expect(editor).toHaveText("I think we should meet tomorrow.");
  await editor.click();
  await page.keyboard.press("Control+z");
  await expect(editor).toHaveText("i think we shud meet tomorow");
});

test("subject ideas: pick one and it becomes the subject", async ({ page, request }) => {
  await signUp(page);
  await page
    .getByRole("textbox", { name: "Message body" })
    .fill("The contract is signed. Next step: kickoff on Monday.");
  await script(request, {
    kind: "json",
    content: { subjects: ["Contract signed", "Kickoff on Monday", "Next steps"] },
  });
  await page.getByRole("button", { name: "Subject ideas" }).click();
  await page.getByRole("button", { name: "Kickoff on Monday" }).click();
  await expect(page.getByLabel("Subject")).toHaveValue("Kickoff on Monday");
});

test("the pre-send check flags a missing attachment, and Send anyway sends", async ({ page }) => {
  await signUp(page);
  await addRecipient(page, "To", "boss@example.com");
  await page.getByLabel("Subject").fill("Quarterly report");
  await page.getByRole("textbox", { name: "Message body" }).fill("Please find the report attached.");
  await page.getByRole("button", { name: "Send" }).click();

  const dialog = page.getByRole("dialog", { name: "Before you send" });
  await expect(dialog.getByTestId("presend-finding")).toContainText("Missing attachment");
  await dialog.getByRole("button", { name: "Send anyway" }).click();
  await expect(page.getByText("Queued — sending to boss@example.com now")).toBeVisible();
  await expectDeliveredOnce(page.request, "Quarterly report");
});

test("a tone finding offers a one-click fix", async ({ page, request }) => {
  await signUp(page);
  await addRecipient(page, "To", "team@example.com");
  await page.getByLabel("Subject").fill("Deadline");
  await page.getByRole("textbox", { name: "Message body" }).fill("Send me the numbers NOW!!!");
  await script(request, {
    kind: "json",
    content: {
      findings: [
        {
          kind: "tone",
          message: "“NOW!!!” may sound harsh.",
          fix: { find: "NOW!!!", replace: "by Friday, please" },
        },
      ],
    },
  });
  await page.getByRole("button", { name: "Send" }).click();
  const dialog = page.getByRole("dialog", { name: "Before you send" });
  await dialog.getByRole("button", { name: "Fix" }).click();
  await expect(dialog.getByRole("button", { name: "Fixed" })).toBeDisabled();
  await dialog.getByRole("button", { name: "Keep editing" }).click();
  await expect(page.getByRole("textbox", { name: "Message body" })).toHaveText(
    "Send me the numbers by Friday, please",
  );
});

test("Settings shows the model and today's AI token usage", async ({ page, request }) => {
  await signUp(page);
  await page.getByRole("textbox", { name: "Message body" }).fill("Some text to title.");
  await script(request, {
    kind: "json",
    content: { subjects: ["One", "Two", "Three"] },
    usage: { prompt_tokens: 300, completion_tokens: 20 },
  });
  await page.getByRole("button", { name: "Subject ideas" }).click();
  await expect(page.getByRole("button", { name: "Two" })).toBeVisible();
  await page.goto("/settings/ai");
  const usage = page.getByTestId("ai-usage");
  await expect(usage).toContainText("e2e-model");
  await expect(usage).toContainText("Today: 320 of 200,000 tokens");
});
