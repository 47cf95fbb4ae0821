import { expect, test, type APIRequestContext } from "@playwright/test";
import { fakeOpenAiPort } from "../../playwright.config";
import type { Script } from "../support/fake-openai";
import { addRecipient, signUp } from "./helpers";

const fakeOpenAi = `http://127.0.0.1:${fakeOpenAiPort}`;
const script = (request: APIRequestContext, ...scripts: Script[]) =>
  request.post(`${fakeOpenAi}/__script`, { data: { scripts } });

test("a saved template in Compose: defaults filled in, a variable without one shown, and held at Send until replaced", async ({
  page,
}) => {
  await signUp(page, "Pat Sender");
  const created = await page.request.post("/api/templates", {
    data: {
      name: "Order note",
      subject: 'Your order, {{ first_name | default: "friend" }}',
      html: '<p>Hi {{ first_name | default: "there" }}, your code is {{ code }}</p>{% if company %}<p>For {{ company }}</p>{% endif %}',
    },
  });
  expect(created.status()).toBe(201);

  const main = page.getByRole("main");
  const body = main.getByRole("textbox", { name: "Message body" });
  await expect(body).toBeEditable();
  await addRecipient(page, "To", "pat@example.com");
  await main.getByRole("button", { name: "Use template" }).click();
  await page.getByRole("menuitem", { name: /Order note/ }).click();

  await expect(main.getByLabel("Subject")).toHaveValue("Your order, friend");
  await expect(body).toHaveText("Hi there, your code is {{ code }}");
  await expect(main.getByTestId("template-used")).toContainText(
    "Replace {{ code }} before sending: no default fills it.",
  );

  // Send does not let the tag go unseen.
  await main.getByRole("button", { name: "Send", exact: true }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog).toContainText("“{{ code }}” is template text with no value");
  await dialog.getByRole("button", { name: "Keep editing" }).click();
  await expect(dialog).toHaveCount(0);

  // The tag replaced (selected from the end of the line), the message goes with no template text in it.
  await body.click();
  await page.keyboard.press("End");
  for (let i = 0; i < "{{ code }}".length; i++) await page.keyboard.press("Shift+ArrowLeft");
  await page.keyboard.type("B-42");
  await expect(body).toHaveText("Hi there, your code is B-42");
  await main.getByRole("button", { name: "Send", exact: true }).click();
  await expect(page.getByText("Queued — sending to pat@example.com now")).toBeVisible();

  await page.getByRole("link", { name: "Mailbox" }).first().click();
  await page.getByTestId("mailbox-item").filter({ hasText: "Your order, friend" }).click();
  const captured = page.frameLocator('iframe[title="Captured message"]');
  await expect(captured.locator("body")).toContainText("Hi there, your code is B-42");
  await expect(captured.locator("body")).not.toContainText("{{");
  await expect(captured.locator("body")).not.toContainText("For ");
});

test("the template editor: variables as chips, an AI draft checked by the engine, subject ideas, saved as the tags typed", async ({
  page,
  request,
}) => {
  await signUp(page);
  await page.goto("/campaigns");
  const main = page.getByRole("main");
  await main.getByRole("button", { name: "New template" }).click();
  await main.getByRole("textbox", { name: "Name" }).fill("Welcome");
  const body = main.getByRole("textbox", { name: "Template body" });
  await expect(body).toBeEditable();

  // An AI draft: its output tags become chips; its condition stays text.
  await script(request, {
    kind: "json",
    content: {
      name: "Spring",
      subject: 'Spring news for {{ first_name | default: "you" }}',
      html: '<p>Hi {{ first_name | default: "there" }},</p><p>{% if company %}For {{ company }}.{% endif %}</p>',
    },
  });
  await main.getByRole("button", { name: "Draft with AI" }).click();
  await page.getByLabel("What should the template say?").fill("Announce the spring sale");
  await page.getByRole("button", { name: "Draft", exact: true }).click();
  await expect(body.getByRole("img", { name: "Variable first_name, default “there”" })).toBeVisible();
  await expect(body.getByRole("img", { name: "Variable company" })).toBeVisible();
  await expect(body).toContainText("{% if company %}");
  await expect(main.getByLabel("Subject")).toHaveValue('Spring news for {{ first_name | default: "you" }}');
  await expect(main.getByRole("textbox", { name: "Name" })).toHaveValue("Welcome");

  // A draft the engine cannot parse is refused in words, and the editor keeps what it had.
  await script(request, {
    kind: "json",
    content: { name: "X", subject: "S", html: "<p>{% if x %}open</p>" },
  });
  await main.getByRole("button", { name: "Draft with AI" }).click();
  await page.getByLabel("What should the template say?").fill("Something broken");
  await page.getByRole("button", { name: "Draft", exact: true }).click();
  await expect(page.getByRole("dialog")).toContainText("The AI wrote a template that cannot be used");
  await page.getByRole("dialog").getByRole("button", { name: "Cancel" }).click();
  await expect(body.getByRole("img", { name: "Variable company" })).toBeVisible();

  // Subject ideas: only those the engine parses are offered.
  await script(request, {
    kind: "json",
    content: { subjects: ["Hello {{ first_name }}", "Broken {{ x ", "Spring is here"] },
  });
  await main.getByRole("button", { name: "Suggest subjects" }).click();
  const ideas = page.getByRole("menu", { name: "Suggested subjects" });
  await expect(ideas.getByRole("menuitem")).toHaveText(["Hello {{ first_name }}", "Spring is here"]);
  await ideas.getByRole("menuitem", { name: "Spring is here" }).click();
  await expect(main.getByLabel("Subject")).toHaveValue("Spring is here");

  // A variable typed into the menu, with a default, becomes a chip at the cursor; Backspace removes it whole.
  await body.click();
  await page.keyboard.press("ControlOrMeta+End");
  await main.getByRole("button", { name: "Insert variable", exact: true }).click();
  await page.getByLabel("Variable name").fill("Last name");
  await page.getByLabel("Default (optional)").fill("friend");
  await page.getByRole("button", { name: "Insert", exact: true }).click();
  const lastName = body.getByRole("img", { name: "Variable last_name, default “friend”" });
  await expect(lastName).toBeVisible();
  await expect(body).toBeFocused();
  await page.keyboard.press("Backspace");
  await expect(lastName).toHaveCount(0);

  await main.getByRole("button", { name: "Save template" }).click();
  await expect(main.getByText("Welcome", { exact: true })).toBeVisible();
  const { templates } = (await (await page.request.get("/api/templates")).json()) as {
    templates: { name: string; subject: string; html: string; variables: string[] }[];
  };
  expect(templates).toHaveLength(1);
  expect(templates[0]).toMatchObject({
    name: "Welcome",
    subject: "Spring is here",
    html: '<p>Hi {{ first_name | default: "there" }},</p><p>{% if company %}For {{ company }}.{% endif %}</p>',
    variables: ["first_name", "company"],
  });

  // Opened again, the tags are chips again.
  await main.getByRole("button", { name: "Edit" }).click();
  await expect(body.getByRole("img", { name: "Variable first_name, default “there”" })).toBeVisible();
});
