import { expect, test, type Page } from "@playwright/test";
import { PASSWORD, signUp } from "./helpers";
import {
  expectDeliveredOnce,
  goOffline,
  queueWhileOffline,
  signUpAndGoOffline,
  waitForServiceWorker,
  withFlakyServer,
  writeMessage,
} from "./offline-helpers";

test.use({ permissions: ["background-sync"] });

test("the app is controlled by its service worker and opens offline", async ({ page, context }) => {
  await signUp(page);
  await waitForServiceWorker(page);
  await writeMessage(page, "desk@example.com", "Sent while online");
  await page.getByRole("button", { name: "Send" }).click();
  await expect(page.getByText("Queued — sending to desk@example.com now")).toBeVisible();
  await page.goto("/sent");
  await expect(page.getByTestId("sent-item").filter({ hasText: "Sent while online" })).toBeVisible();
  // Let the worker keep the signed-in screens, then lose the connection.
  await page.goto("/outbox");
  await expect(page.getByRole("heading", { name: "Outbox" })).toBeVisible();
  await goOffline(context, page);

  await page.goto("/compose");
  await expect(page.getByRole("heading", { name: "New message" })).toBeVisible();
  await page.reload();
  await expect(page.getByRole("heading", { name: "New message" })).toBeVisible();
  await expect(page.getByRole("textbox", { name: "Message body" })).toBeVisible();
  for (const [path, heading] of [
    ["/outbox", "Outbox"],
    ["/drafts", "Drafts"],
    ["/sent", "Sent"],
  ] as const) {
    await page.goto(path);
    await expect(page.getByRole("heading", { name: heading, exact: true })).toBeVisible();
  }
  await context.setOffline(false);
});

test("written offline: queued, then delivered exactly once when the connection returns", async ({
  page,
  context,
}) => {
  await signUpAndGoOffline(page, context);

  await writeMessage(page, "train@example.com", "Written on the train");
  await page.keyboard.press("Control+Enter");
  await expect(page.getByText("Queued — will send when online")).toBeVisible();
  await expect(page.getByTestId("outbox-badge").first()).toContainText("1");
  await page.goto("/outbox");
  await expect(page.getByTestId("outbox-item")).toContainText("Written on the train");
  await expect(page.getByTestId("outbox-item")).toContainText("Waiting to send");

  await context.setOffline(false);
  await expect(page.getByTestId("outbox-item")).toHaveCount(0, { timeout: 20_000 });
  await expect(page.getByText("The Outbox is empty")).toBeVisible();
  await expectDeliveredOnce(page.request, "Written on the train");
  await page.goto("/sent");
  await expect(page.getByTestId("sent-item").filter({ hasText: "Written on the train" })).toBeVisible();
});

test("the service worker alone delivers it when the page was closed before the connection returned", async ({
  page,
  context,
}) => {
  await signUpAndGoOffline(page, context);
  await queueWhileOffline(page, "closed@example.com", "Sent with the tab closed");
  await page.close();

  await context.setOffline(false);
  await expectDeliveredOnce(context.request, "Sent with the tab closed");
});

test("a server answering 503 twice and then accepting gets the message once", async ({
  browser,
  baseURL,
}) => {
  await withFlakyServer(browser, baseURL!, async ({ proxy, context, page }) => {
    // Scripted before queueing: however early the first replay comes, it meets the failures.
    const before = proxy.postedKeys.length;
    proxy.failNextPosts(2, 503);
    await goOffline(context, page);
    await queueWhileOffline(page, "flaky@example.com", "Through a flaky server");
    await context.setOffline(false);
    await expectDeliveredOnce(context.request, "Through a flaky server");
    const attempts = proxy.postedKeys.slice(before);
    expect(attempts.length).toBeGreaterThanOrEqual(3);
    expect(new Set(attempts).size).toBe(1); // every attempt carried the same idempotency key
  });
});

test("sync fired twice for the same items still delivers each message once", async ({ page, context }) => {
  await signUp(page);
  await waitForServiceWorker(page);
  const cdp = await context.newCDPSession(page);
  const registrations: { registrationId: string; scopeURL: string }[] = [];
  cdp.on("ServiceWorker.workerRegistrationUpdated", (e) => registrations.push(...e.registrations));
  await cdp.send("ServiceWorker.enable");

  await goOffline(context, page);
  for (const subject of ["Twice synced one", "Twice synced two"]) {
    await writeMessage(page, "twice@example.com", subject);
    await page.getByRole("button", { name: "Send" }).click();
    await expect(page.getByText("Queued — will send when online")).toBeVisible();
    await page.getByRole("button", { name: "Clear" }).click();
  }
  await context.setOffline(false);
  const registrationId = registrations.find((r) => r.scopeURL.endsWith("/"))!.registrationId;
  const origin = new URL(page.url()).origin;
  const fire = () =>
    cdp.send("ServiceWorker.dispatchSyncEvent", {
      origin,
      registrationId,
      tag: "securevault-outbox",
      lastChance: false,
    });
  await Promise.all([fire(), fire()]);

  for (const subject of ["Twice synced one", "Twice synced two"])
    await expectDeliveredOnce(page.request, subject);
});

test("several queued messages go in one request; one the server refuses waits, the others are delivered once", async ({
  page,
  context,
}) => {
  await signUp(page);
  await waitForServiceWorker(page);
  const { user } = (await (await page.request.get("/api/account")).json()) as { user: { id: string } };
  const { senders } = (await (await page.request.get("/api/senders")).json()) as {
    senders: { id: string }[];
  };
  const outboxPosts: string[] = [];
  context.on("request", (r) => {
    if (r.method() === "POST" && /\/api\/(outbox|messages)$/.test(new URL(r.url()).pathname))
      outboxPosts.push(new URL(r.url()).pathname);
  });

  await goOffline(context, page);
  // Queued as Compose queues offline, with one address the server refuses (Compose itself would not let it by).
  const subjects = ["Grouped one", "Grouped two", "Grouped refused"];
  await page.evaluate(
    async ({ userId, senderId, subjects }) => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const open = indexedDB.open("securevault");
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
      const tx = db.transaction("outbox", "readwrite");
      subjects.forEach((subject, i) => {
        const key = crypto.randomUUID();
        const to = subject.endsWith("refused") ? "not an address" : "grouped@example.com";
        tx.objectStore("outbox").put({
          key,
          userId,
          message: {
            idempotencyKey: key,
            senderId,
            to: [{ address: to }],
            cc: [],
            bcc: [],
            subject,
            html: `<p>${subject}</p>`,
          },
          state: "queued",
          queuedAt: Date.now() + i,
          attempts: 0,
        });
      });
      await new Promise((resolve, reject) => {
        tx.oncomplete = resolve;
        tx.onerror = () => reject(tx.error);
      });
    },
    { userId: user.id, senderId: senders[0]!.id, subjects },
  );
  await context.setOffline(false);

  await expectDeliveredOnce(page.request, "Grouped one");
  await expectDeliveredOnce(page.request, "Grouped two");
  await page.goto("/outbox");
  const item = page.getByTestId("outbox-item");
  await expect(item).toHaveCount(1);
  await expect(item).toContainText("Grouped refused");
  await expect(item).toContainText("Needs attention");
  // The three went together (the page and the worker may each have tried once), never one request each.
  expect(outboxPosts.length).toBeGreaterThan(0);
  expect(outboxPosts.every((p) => p === "/api/outbox")).toBe(true);
});

test("a message the server refuses waits in the Outbox with the reason, and can be edited", async ({
  browser,
  baseURL,
}) => {
  await withFlakyServer(browser, baseURL!, async ({ proxy, context, page }) => {
    // Scripted before queueing: however early the first replay comes, it meets the refusal. Every post is
    // refused, as a server refuses the same message each time: a replay cut off by the navigation below (its
    // answer never read) posts it again and must meet the same refusal.
    proxy.failNextPosts(Infinity, 400, {
      error: {
        code: "validation_failed",
        message: "to.0.address: Enter a valid email address.",
        fields: { "to.0.address": ["x"] },
      },
    });
    await goOffline(context, page);
    await queueWhileOffline(page, "refused@example.com", "Refused by the server");
    await context.setOffline(false);
    await page.goto("/outbox");
    const item = page.getByTestId("outbox-item");
    await expect(item).toContainText("Needs attention", { timeout: 20_000 });
    await expect(item).toContainText("Enter a valid email address.");
    // Marked like a failure in Sent: a coloured edge, not only the chip.
    await expect(item).toHaveAttribute("data-attention", "warning");
    // The user fixes the message: from now on the server accepts it.
    proxy.failNextPosts(0, 400);

    await item.getByRole("button", { name: "Edit" }).click();
    await expect(page).toHaveURL(/\/compose\?draft=/);
    await expect(page.getByLabel("Subject")).toHaveValue("Refused by the server");
    await page.getByRole("button", { name: "Send" }).click();
    await expect(page.getByText(/Queued — sending to refused@example.com now/)).toBeVisible();
    await expectDeliveredOnce(context.request, "Refused by the server");
  });
});

test("a draft survives closing the page and comes back when Compose reopens", async ({ page, context }) => {
  await signUp(page);
  await writeMessage(page, "later@example.com", "Half-written thoughts", "Where was I? ");
  await page.waitForTimeout(1000); // autosave is at most 1 s behind the typing
  await page.close();

  const again = await context.newPage();
  await again.goto("/compose");
  await expect(again.getByLabel("Subject")).toHaveValue("Half-written thoughts");
  await expect(again.getByText("later@example.com", { exact: true })).toBeVisible();
  await expect(again.getByRole("textbox", { name: "Message body" })).toContainText("Where was I?");
  await again.goto("/drafts");
  await expect(again.getByTestId("draft-item")).toContainText("Half-written thoughts");
});

test("a link shared with the app opens Compose pre-filled", async ({ page }) => {
  await signUp(page);
  await page.goto(
    `/compose?title=${encodeURIComponent("Look at this")}&text=${encodeURIComponent("Thought of you <3")}&url=${encodeURIComponent("https://example.com/article")}`,
  );
  await expect(page.getByLabel("Subject")).toHaveValue("Look at this");
  const body = page.getByRole("textbox", { name: "Message body" });
  await expect(body).toContainText("Thought of you <3");
  await expect(body.getByRole("link", { name: "https://example.com/article" })).toBeVisible();
});

test("signing out with unsent messages warns, then clears this device", async ({ browser, baseURL }) => {
  await withFlakyServer(browser, baseURL!, async ({ proxy, page }) => {
    proxy.failNextPosts(1000, 503); // the server stays unavailable: the message cannot leave the device
    await queueWhileOffline(page, "never@example.com", "Never leaves");

    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page.getByRole("dialog", { name: "Sign out with unsent messages?" })).toBeVisible();
    await page.getByRole("button", { name: "Stay signed in" }).click();
    await expect(page.getByTestId("outbox-badge").first()).toContainText("1");

    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("button", { name: "Sign out and delete" }).click();
    await expect(page).toHaveURL(/\/sign-in/);
    expect(await countOnDevice(page)).toBe(0);
  });
});

test("signed out while offline: the outbox waits and sends after the next sign-in", async ({
  page,
  context,
}) => {
  const email = await signUp(page);
  await waitForServiceWorker(page);
  await goOffline(context, page);
  await queueWhileOffline(page, "patient@example.com", "Waited for sign-in");

  // The session ends while the device is offline (expired, or signed out elsewhere).
  await context.clearCookies();
  await context.setOffline(false);
  await page.goto("/sign-in");
  expect(await countOnDevice(page, ["outbox"])).toBe(1);

  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/compose$/);
  await expectDeliveredOnce(page.request, "Waited for sign-in");
});

/** Items this origin keeps in IndexedDB, read with the raw API (independent of the app's code). */
function countOnDevice(page: Page, stores = ["outbox", "drafts"]): Promise<number> {
  return page.evaluate(
    (names) =>
      new Promise<number>((resolve, reject) => {
        const open = indexedDB.open("securevault");
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const tx = open.result.transaction(names, "readonly");
          let total = 0;
          let pending = names.length;
          for (const name of names) {
            const count = tx.objectStore(name).count();
            count.onsuccess = () => {
              total += count.result;
              if (--pending === 0) resolve(total);
            };
          }
        };
      }),
    stores,
  );
}
