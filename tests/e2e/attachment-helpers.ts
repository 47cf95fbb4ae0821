import { createHash } from "node:crypto";
import { expect, type APIRequestContext, type Page } from "@playwright/test";

export const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");

/** A small PNG-looking file (its bytes need not be an image for the test: only the type says so). */
export const PNG_BYTES = Buffer.from("89504e470d0a1a0a0000000d49484452", "hex");

/** Drops files on Compose the way a browser does: a drop event whose DataTransfer holds them. */
export async function dropFiles(page: Page, files: { name: string; type: string; text: string }[]) {
  const transfer = await page.evaluateHandle((list) => {
    const dt = new DataTransfer();
    for (const f of list) dt.items.add(new File([f.text], f.name, { type: f.type }));
    return dt;
  }, files);
  const form = page.getByRole("form", { name: "Compose email" });
  await form.dispatchEvent("dragover", { dataTransfer: transfer });
  await form.dispatchEvent("drop", { dataTransfer: transfer });
}

/** Pastes files into the message body, as copying an image or a file in another app and pressing Ctrl+V does. */
export async function pasteFiles(page: Page, files: { name: string; type: string; hex: string }[]) {
  await page.getByRole("textbox", { name: "Message body" }).click();
  await page.evaluate((list) => {
    const dt = new DataTransfer();
    for (const f of list) {
      const bytes = new Uint8Array(f.hex.match(/../g)!.map((h) => parseInt(h, 16)));
      dt.items.add(new File([bytes], f.name, { type: f.type }));
    }
    const target = document.querySelector('[aria-label="Message body"]')!;
    target.dispatchEvent(new ClipboardEvent("paste", { clipboardData: dt, bubbles: true, cancelable: true }));
  }, files);
}

/** The files of the Mailbox message with this subject, as the API lists them, with their bytes. */
export async function mailboxFiles(request: APIRequestContext, subject: string) {
  const list = (await (await request.get("/api/mailbox")).json()) as {
    items: { id: string; subject: string }[];
  };
  const item = list.items.find((m) => m.subject === subject);
  expect(item, `a Mailbox message "${subject}"`).toBeDefined();
  const { message } = (await (await request.get(`/api/mailbox/${item!.id}`)).json()) as {
    message: { attachments: { filename: string; contentType: string }[] };
  };
  return Promise.all(
    message.attachments.map(async (a, i) => {
      const res = await request.get(`/api/mailbox/${item!.id}/attachments/${i}`);
      expect(res.headers()["x-content-type-options"]).toBe("nosniff");
      return { ...a, sha256: sha(await res.body()) };
    }),
  );
}

/** How many files the drafts on this device hold (read from IndexedDB as the app stores them). */
export async function draftFileCount(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const open = indexedDB.open("securevault");
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const read = open.result.transaction("drafts").objectStore("drafts").getAll();
          read.onsuccess = () => {
            resolve((read.result as { files?: unknown[] }[]).reduce((n, d) => n + (d.files?.length ?? 0), 0));
            open.result.close();
          };
          read.onerror = () => reject(read.error);
        };
      }),
  );
}
