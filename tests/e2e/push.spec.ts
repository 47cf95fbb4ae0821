import { randomUUID } from "node:crypto";
import {
  expect,
  test,
  type Browser,
  type BrowserContext,
  type Page,
  type Worker,
} from "@playwright/test";
import { startTestPushService, type TestPushService, type TestSubscription } from "../support/push-service";
import { startTestSmtpServer } from "../support/smtp-test-server";
import { signUp } from "./helpers";
import { serverMessages, waitForServiceWorker, writeMessage } from "./offline-helpers";

// The whole chain in a real Chromium: Settings subscribes this browser, a message is sent through the sandbox,
// the server encrypts and VAPID-signs a push to a push service on loopback (tests/support/push-service.ts),
// which verifies the JWT against the app's public key, decrypts the payload (RFC 8291), and hands it to the
// browser's service worker over CDP (ServiceWorker.deliverPushMessage), as FCM would. The service worker shows
// the notification; a tap on it opens the message.
//
// Two stand-ins, both at the edges the sandbox cannot reach:
// - Chromium registers push subscriptions with Google's push service, which is not reachable here, so
//   PushManager.subscribe is replaced by one that records its options and returns the test's subscription
//   (endpoint on the local push service, the test's P-256 key and auth secret). Everything before (permission,
//   the VAPID key as applicationServerKey) and after (saving it, sending, encryption) is the app's own code.
// - No API clicks a notification, so the test dispatches a `notificationclick` NotificationEvent built on the
//   real notification in the service worker: the app's own listener runs and navigates the open window. The
//   browser would also keep the worker alive with waitUntil; a synthetic event cannot, so the test stands in
//   for it by awaiting the promise the listener hands over.

type ShownNotification = { title: string; body: string; tag: string; data: unknown; actions: string[] };

let push: TestPushService;

test.beforeAll(async () => {
  push = await startTestPushService();
});
test.afterAll(() => push.close());

/** Replaces the browser's push-service registration (see above) with the test's subscription. */
async function stubBrowserPushService(context: BrowserContext, subscription: TestSubscription) {
  await context.addInitScript((sub) => {
    const calls: { userVisibleOnly: boolean; key: number[] }[] = [];
    (window as unknown as { pushSubscribeCalls: typeof calls }).pushSubscribeCalls = calls;
    let current: object | null = null;
    PushManager.prototype.subscribe = async function (options?: PushSubscriptionOptionsInit) {
      const key = new Uint8Array(options?.applicationServerKey as ArrayBuffer);
      calls.push({ userVisibleOnly: !!options?.userVisibleOnly, key: Array.from(key) });
      current = {
        endpoint: sub.endpoint,
        expirationTime: null,
        options: { userVisibleOnly: !!options?.userVisibleOnly, applicationServerKey: key.buffer },
        toJSON: () => ({ endpoint: sub.endpoint, expirationTime: null, keys: sub.keys }),
        unsubscribe: async () => {
          current = null;
          return true;
        },
      };
      return current as PushSubscription;
    };
    PushManager.prototype.getSubscription = async () => current as PushSubscription | null;
  }, subscription);
}

/**
 * Hands every push the local service accepts to this context's service worker, as a browser's push service
 * would. The CDP session lives on a page of its own that never navigates: a session on the app's page is
 * re-pointed at each navigation, and a push arriving in between would be lost. The registration id is read
 * from Chromium's registration events before the app goes on, and kept current should the registration
 * change. A delivery Chromium refuses is recorded in `failures`, which the tests check beside the
 * notification, so a lost push names its reason instead of only timing out.
 */
async function deliverPushesTo(context: BrowserContext, origin: string) {
  const relay = await context.newPage();
  const cdp = await context.newCDPSession(relay);
  const failures: string[] = [];
  let registrationId: string | undefined;
  const found = new Promise<void>((resolve) => {
    cdp.on("ServiceWorker.workerRegistrationUpdated", ({ registrations }) => {
      for (const r of registrations) {
        if (r.scopeURL !== `${origin}/`) continue;
        if (!r.isDeleted) registrationId = r.registrationId;
        else if (registrationId === r.registrationId) registrationId = undefined;
      }
      if (registrationId !== undefined) resolve();
    });
  });
  await cdp.send("ServiceWorker.enable");
  await found;
  const stop = push.onPush(async (received) => {
    if (registrationId === undefined) return void failures.push("no service worker registration");
    await cdp
      .send("ServiceWorker.deliverPushMessage", { origin, registrationId, data: received.text })
      .catch((error: Error) => void failures.push(error.message));
  });
  context.once("close", stop);
  return { failures };
}

/** What the page's service worker shows under this tag, and any push that could not be handed to it. */
async function shownWith(page: Page, tag: string, relay: { failures: string[] }) {
  return { failures: [...relay.failures], notifications: await notificationsTagged(page, tag) };
}

function notificationsTagged(page: Page, tag: string): Promise<ShownNotification[]> {
  return page.evaluate(async (t) => {
    const registration = await navigator.serviceWorker.ready;
    return (await registration.getNotifications({ tag: t })).map((n) => ({
      title: n.title,
      body: n.body,
      tag: n.tag,
      data: n.data as unknown,
      actions: ((n as unknown as { actions: { action: string }[] }).actions ?? []).map((a) => a.action),
    }));
  }, tag);
}

async function serviceWorker(context: BrowserContext): Promise<Worker> {
  const running = context.serviceWorkers().find((w) => w.url().endsWith("/sw.js"));
  return running ?? context.waitForEvent("serviceworker");
}

/** A tap on the notification with this tag: the service worker's own notificationclick listener handles it. */
async function tapNotification(context: BrowserContext, tag: string) {
  const worker = await serviceWorker(context);
  await worker.evaluate(async (t) => {
    type Scope = {
      registration: ServiceWorkerRegistration;
      dispatchEvent(event: Event): boolean;
      NotificationEvent: new (type: string, init: { notification: Notification; action?: string }) => Event;
    };
    const scope = self as unknown as Scope;
    const [notification] = await scope.registration.getNotifications({ tag: t });
    if (!notification) throw new Error(`no notification tagged ${t}`);
    const event = new scope.NotificationEvent("notificationclick", { notification, action: "open" });
    let handled: Promise<unknown> | undefined;
    Object.defineProperty(event, "waitUntil", { value: (p: Promise<unknown>) => void (handled = p) });
    scope.dispatchEvent(event);
    if (!handled) throw new Error("the notificationclick listener did not hand over its work");
    await handled;
  }, tag);
}

/** A signed-up user in a fresh context, allowed to show notifications, with pushes delivered to its worker. */
async function openApp(browser: Browser, baseURL: string) {
  const origin = new URL(baseURL).origin;
  const context = await browser.newContext({ baseURL });
  await context.grantPermissions(["notifications"], { origin });
  const subscription = push.subscribe();
  await stubBrowserPushService(context, subscription);
  const page = await context.newPage();
  await signUp(page, "Ada");
  await waitForServiceWorker(page);
  const relay = await deliverPushesTo(context, origin);
  return { context, page, subscription, relay };
}

/** Settings → Notifications → "Notify me on this device". */
async function turnOnNotifications(page: Page) {
  await page.goto("/settings/notifications");
  const panel = page.getByTestId("notifications-panel");
  await panel.getByRole("button", { name: "Notify me on this device" }).click();
  await expect(panel.getByText("This device gets delivery notifications.")).toBeVisible();
  return panel;
}

test("notify me on this device, send, see 'Delivered to …', tap it and the message opens", async ({
  browser,
  baseURL,
}) => {
  const { context, page, subscription, relay } = await openApp(browser, baseURL!);
  try {
    const panel = await turnOnNotifications(page);
    await expect(panel.getByTestId("push-device")).toHaveCount(1);
    await expect(panel.getByTestId("push-device")).toContainText("This device");

    // The browser was asked for a user-visible subscription signed for by the app's VAPID key.
    const { publicKey } = (await (await page.request.get("/api/push/public-key")).json()) as {
      publicKey: string;
    };
    const calls = await page.evaluate(
      () =>
        (window as unknown as { pushSubscribeCalls: { userVisibleOnly: boolean; key: number[] }[] })
          .pushSubscribeCalls,
    );
    expect(calls).toEqual([{ userVisibleOnly: true, key: Array.from(Buffer.from(publicKey, "base64url")) }]);

    await page.goto("/compose");
    await writeMessage(
      page,
      "alice@example.com",
      "Re: contract",
      "I have signed it; the original follows by post.",
    );
    await page.getByRole("button", { name: "Send" }).click();
    await expect
      .poll(async () => (await serverMessages(page.request, "Re: contract"))[0]?.status)
      .toBe("sent");
    const [message] = await serverMessages(page.request, "Re: contract");
    const id = message!.id;

    // The push service checked the VAPID JWT against the app's own key and decrypted the payload.
    await expect.poll(() => push.received.filter((p) => p.subscriptionId === subscription.id).length).toBe(1);
    expect(push.refused).toEqual([]);
    expect(push.received.find((p) => p.subscriptionId === subscription.id)!.vapidPublicKey).toBe(publicKey);

    await expect
      .poll(() => shownWith(page, id, relay), { timeout: 15_000 })
      .toEqual({
        failures: [],
        notifications: [
          {
            title: "Delivered to alice@example.com",
            body: "Re: contract",
            tag: id,
            data: { url: `/messages/${id}`, messageId: id, outcome: "delivered" },
            actions: ["open"],
          },
        ],
      });

    await page.goto("/sent");
    await tapNotification(context, id);
    await expect(page).toHaveURL(new RegExp(`/messages/${id}$`));
    await expect(page.getByRole("heading", { name: "Re: contract" })).toBeVisible();
    // The tap closed the notification.
    expect(await notificationsTagged(page, id)).toEqual([]);
  } finally {
    await context.close();
  }
});

test("a message that cannot be delivered: 'Not delivered to <address>: Mailbox does not exist', and a tap opens it", async ({
  browser,
  baseURL,
}) => {
  // A mail server that refuses the recipient for good (550 on RCPT TO).
  const smtp = await startTestSmtpServer({
    users: { "me@acme.test": "pw" },
    rejectRecipients: ["ghost@acme.test"],
    // The app keeps its pooled connection to this server open: do not wait for it at the end.
    closeTimeoutMs: 100,
  });
  const { context, page, subscription, relay } = await openApp(browser, baseURL!);
  try {
    await turnOnNotifications(page);
    const added = await page.request.post("/api/senders", {
      data: {
        preset: "custom",
        fromEmail: "me@acme.test",
        host: "127.0.0.1",
        port: smtp.port,
        security: "none",
        password: "pw",
      },
    });
    expect(added.status()).toBe(201);
    const senderId = ((await added.json()) as { sender: { id: string } }).sender.id;
    const sent = await page.request.post("/api/messages", {
      data: {
        idempotencyKey: randomUUID(),
        senderId,
        to: [{ address: "ghost@acme.test" }],
        subject: "Quarterly numbers",
        html: "<p>Numbers inside.</p>",
      },
    });
    expect(sent.status()).toBe(202);
    const id = ((await sent.json()) as { message: { id: string } }).message.id;

    await expect
      .poll(() => shownWith(page, id, relay), { timeout: 15_000 })
      .toEqual({
        failures: [],
        notifications: [
          {
            title: "Not delivered to ghost@acme.test: Mailbox does not exist",
            body: "Quarterly numbers",
            tag: id,
            data: { url: `/messages/${id}`, messageId: id, outcome: "failed" },
            actions: ["open"],
          },
        ],
      });
    const received = push.received.find((p) => p.subscriptionId === subscription.id)!;
    expect(received.headers.urgency).toBe("high");

    await tapNotification(context, id);
    await expect(page).toHaveURL(new RegExp(`/messages/${id}$`));
    await expect(page.locator("[data-status=failed]").first()).toBeVisible();
  } finally {
    await context.close();
    await smtp.close();
  }
});

test("devices can be removed and each outcome switched off, and it sticks", async ({ browser, baseURL }) => {
  const { context, page } = await openApp(browser, baseURL!);
  try {
    const panel = await turnOnNotifications(page);
    await expect(panel.getByTestId("push-device")).toHaveCount(1);

    const delivered = panel.getByLabel("is delivered", { exact: true });
    await expect(delivered).toBeChecked();
    await delivered.click();
    await expect(delivered).not.toBeChecked();
    await page.reload();
    await expect(panel.getByLabel("is delivered", { exact: true })).not.toBeChecked();
    await expect(panel.getByLabel("cannot be delivered", { exact: true })).toBeChecked();

    await panel.getByRole("button", { name: /^Remove / }).click();
    await expect(panel.getByText("No device gets notifications yet.")).toBeVisible();
    await page.reload();
    await expect(panel.getByText("No device gets notifications yet.")).toBeVisible();
  } finally {
    await context.close();
  }
});
