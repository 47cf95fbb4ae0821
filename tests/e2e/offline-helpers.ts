import {
  expect,
  type APIRequestContext,
  type Browser,
  type BrowserContext,
  type Page,
} from "@playwright/test";
import { offlineScreens, PAGES_CACHE } from "../../lib/offline/sw-protocol";
import { startFlakyProxy, type FlakyProxy } from "../support/flaky-proxy";
import { signUp } from "./helpers";
import { addRecipient } from "./helpers";

/** Waits until the page is controlled by the service worker (first visit: after clients.claim()). */
export async function waitForServiceWorker(page: Page) {
  await page.waitForFunction(() => navigator.serviceWorker?.controller !== null, undefined, {
    timeout: 20_000,
  });
}

export async function writeMessage(
  page: Page,
  to: string,
  subject: string,
  body = "Written without a connection.",
) {
  await addRecipient(page, "To", to);
  await page.getByLabel("Subject").fill(subject);
  const editor = page.getByRole("textbox", { name: "Message body" });
  await editor.click();
  await editor.pressSequentially(body);
}

/**
 * Takes the browser offline once the service worker controls the page: it has then cached every script of this
 * build. Offline before that, a screen part loaded on demand (the address suggestions, the editor's menus) could
 * not be fetched and Next showed "This page couldn't load" — seen on a busy machine on a second device that had
 * just signed in.
 */
export async function goOffline(context: BrowserContext, page: Page) {
  await waitForServiceWorker(page);
  await context.setOffline(true);
  await expect(page.getByTestId("offline-chip")).toBeVisible();
}

/** Messages with this subject as the server has them (from Sent). */
export async function serverMessages(request: APIRequestContext, subject: string, baseURL?: string) {
  const res = await request.get(`${baseURL ?? ""}/api/messages?q=${encodeURIComponent(subject)}&limit=100`);
  expect(res.status()).toBe(200);
  return ((await res.json()) as { items: { id: string; subject: string; status: string }[] }).items.filter(
    (m) => m.subject === subject,
  );
}

/** Messages with this subject captured by the sandbox mailbox (what actually went out over SMTP). */
export async function deliveredCopies(request: APIRequestContext, subject: string, baseURL?: string) {
  const res = await request.get(`${baseURL ?? ""}/api/mailbox`);
  expect(res.status()).toBe(200);
  return ((await res.json()) as { items: { subject: string }[] }).items.filter((m) => m.subject === subject)
    .length;
}

export async function expectDeliveredOnce(request: APIRequestContext, subject: string, baseURL?: string) {
  await expect
    .poll(async () => (await serverMessages(request, subject, baseURL)).map((m) => m.status), {
      timeout: 30_000,
    })
    .toEqual(["sent"]);
  expect(await deliveredCopies(request, subject, baseURL)).toBe(1);
}

/** A new account whose page is controlled by the service worker and has just lost its connection. */
export async function signUpAndGoOffline(page: Page, context: BrowserContext) {
  await signUp(page);
  await waitForServiceWorker(page);
  await waitForWarmPages(page);
  await goOffline(context, page);
}

/**
 * Waits until the worker has cached every offline screen (it fetches them after sign-in, in the background):
 * going offline before that leaves a screen uncached, which on a busy machine made tests that open it flaky.
 */
export async function waitForWarmPages(page: Page) {
  await expect
    .poll(
      () =>
        page.evaluate(
          async ([cacheName, screens]) => {
            const cache = await caches.open(cacheName);
            const cached = await Promise.all(
              screens.map((s) => cache.match(new URL(s, location.origin).href)),
            );
            return cached.every(Boolean);
          },
          [PAGES_CACHE, offlineScreens] as const,
        ),
      { timeout: 20_000 },
    )
    .toBe(true);
}

/** Writes and sends a message while offline, and checks that Compose says it is queued. */
export async function queueWhileOffline(page: Page, to: string, subject: string) {
  await writeMessage(page, to, subject);
  await page.getByRole("button", { name: "Send" }).click();
  await expect(page.getByText("Queued — will send when online")).toBeVisible();
}

/**
 * Runs a test in its own browser context that reaches the app through a scriptable proxy, signed up and
 * controlled by the service worker.
 */
export async function withFlakyServer(
  browser: Browser,
  baseURL: string,
  run: (env: { proxy: FlakyProxy; context: BrowserContext; page: Page }) => Promise<void>,
) {
  const proxy = await startFlakyProxy(baseURL);
  const context = await browser.newContext({ baseURL: proxy.url, permissions: ["background-sync"] });
  try {
    const page = await context.newPage();
    await signUp(page);
    await waitForServiceWorker(page);
    await run({ proxy, context, page });
  } finally {
    await context.close();
    await proxy.close();
  }
}
