import { expect, test } from "@playwright/test";
import { fakeOpenAiPort } from "../../playwright.config";
import { signUp } from "./helpers";

const fakeOpenAi = `http://127.0.0.1:${fakeOpenAiPort}`;
// A 1×1 PNG.
const PNG = Buffer.from(
  "89504e470d0a1a0a0000000d4948445200000001000000010806000000" +
    "1f15c4890000000d49444154789c6360f8cfc0f01f0005000201a5b2a3b60000000049454e44ae426082",
  "hex",
);

test("Draft with AI can use the attached files: the text file reaches the model, the image does not (not a vision model)", async ({
  page,
  request,
}) => {
  await signUp(page);
  const marker = `Venue price ${crypto.randomUUID()}`;
  await page.getByTestId("attachment-input").setInputFiles([
    { name: "venue.txt", mimeType: "text/plain", buffer: Buffer.from(marker) },
    { name: "floor.png", mimeType: "image/png", buffer: PNG },
  ]);
  const items = page.getByTestId("attachment");
  await expect(items.filter({ hasText: "venue.txt" })).toContainText("Attached");
  await expect(items.filter({ hasText: "floor.png" })).toContainText("Attached");

  await request.post(`${fakeOpenAi}/__script`, {
    data: { scripts: [{ kind: "stream", pieces: ["The venue is booked."] }] },
  });
  await page.getByRole("button", { name: "Draft with AI" }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog.getByTestId("ai-files-note")).toHaveText(
    "Images cannot be read by this model; only text files are sent.",
  );
  await dialog.getByLabel(/Use the attached files \(2\)/).check();
  await page.getByLabel("What should the email say?").fill("Tell Sam what the venue costs");
  await page.getByRole("button", { name: "Write draft" }).click();
  await expect(page.getByRole("textbox", { name: "Message body" })).toContainText("The venue is booked.");

  const recorded = (await (await request.get(`${fakeOpenAi}/__requests`)).json()) as {
    body: { messages: { role: string; content: unknown }[] };
  }[];
  const sent = recorded
    .map((r) => r.body.messages.find((m) => m.role === "user")?.content)
    .find((c) => typeof c === "string" && c.includes(marker));
  expect(typeof sent).toBe("string");
  const data = JSON.parse(sent as string) as {
    attachedFiles: { name: string; text: string }[];
    filesNotIncluded: { name: string }[];
  };
  expect(data.attachedFiles).toEqual([{ name: "venue.txt", text: marker }]);
  expect(data.filesNotIncluded.map((f) => f.name)).toEqual(["floor.png"]);
});
