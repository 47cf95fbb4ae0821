import { randomUUID } from "node:crypto";
import { expect, test, type Page } from "@playwright/test";
import { signUp } from "./helpers";

// Every CSP violation the page reports, from the event the browser fires and from the console.
async function watchCsp(page: Page): Promise<string[]> {
  const violations: string[] = [];
  page.on("console", (msg) => {
    if (/Content Security Policy|Refused to (execute|load|apply)/i.test(msg.text()))
      violations.push(msg.text());
  });
  await page.exposeFunction("__reportCsp", (v: string) => violations.push(v));
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) =>
      (window as unknown as { __reportCsp: (v: string) => void }).__reportCsp(
        `${e.violatedDirective} blocked ${e.blockedURI} in ${e.sourceFile}:${e.lineNumber}`,
      ),
    );
  });
  return violations;
}

test("pages send a nonce-based CSP and the security headers, fresh per request", async ({ page }) => {
  const first = await page.goto("/sign-in");
  const second = await page.request.get("/sign-in");
  const csp = first!.headers()["content-security-policy"]!;
  expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
  expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
  expect(csp).not.toMatch(/script-src[^;]*'unsafe-eval'/);
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain("object-src 'none'");
  const nonceOf = (policy: string) => /'nonce-([^']+)'/.exec(policy)![1];
  expect(nonceOf(second.headers()["content-security-policy"]!)).not.toBe(nonceOf(csp));
  // The nonce the header names is the one on the page's scripts.
  const scriptNonces = await page
    .locator("script[nonce]")
    .evaluateAll((els) => els.map((el) => (el as HTMLScriptElement).nonce));
  expect(scriptNonces.length).toBeGreaterThan(0);
  expect(new Set(scriptNonces)).toEqual(new Set([nonceOf(csp)]));

  const headers = first!.headers();
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  expect(headers["permissions-policy"]).toContain("microphone=(self)");
  expect(headers["x-frame-options"]).toBe("DENY");
  // The e2e server is a production build.
  expect(headers["strict-transport-security"]).toMatch(/max-age=\d+/);
  const api = await page.request.get("/api/health");
  expect(api.headers()["x-content-type-options"]).toBe("nosniff");
});

test("signed-in pages, the mail frame and the service worker run with no CSP violation", async ({ page }) => {
  const violations = await watchCsp(page);
  await signUp(page, "Grace Hopper");
  const senders = (await (await page.request.get("/api/senders")).json()) as { senders: { id: string }[] };
  const sent = await page.request.post("/api/messages", {
    data: {
      idempotencyKey: randomUUID(),
      senderId: senders.senders[0]!.id,
      to: [{ address: "ada@example.com" }],
      subject: "CSP check",
      html: '<p>Hello <strong>there</strong></p><img src="https://tracker.example/pixel.gif"><script>alert(1)</script>',
    },
  });
  expect(sent.status()).toBe(202);
  const { message } = (await sent.json()) as { message: { id: string } };

  for (const path of ["/compose", "/sent", "/outbox", "/drafts", "/settings/senders"]) {
    await page.goto(path);
    await expect(page.locator("h1").first()).toBeVisible();
  }
  await page.goto(`/messages/${message.id}`);
  // Inside the page's main region: while a streamed screen is revealed, a hidden copy of it can sit outside.
  await expect(
    page
      .getByRole("main")
      .getByRole("list", { name: "Status timeline" })
      .getByText("Delivered to the built-in test mailbox — nothing left this machine", { exact: true }),
  ).toBeVisible();
  await page.goto("/mailbox");
  await page.getByTestId("mailbox-item").filter({ hasText: "CSP check" }).click();
  const frame = page.locator('iframe[title="Captured message"]');
  expect(await frame.getAttribute("sandbox")).not.toContain("allow-scripts");
  await expect(page.frameLocator('iframe[title="Captured message"]').locator("strong")).toHaveText("there");
  // The frame's own stylesheet applies (allowed by hash), so the body has its margin.
  const margin = await page
    .frameLocator('iframe[title="Captured message"]')
    .locator("body")
    .evaluate((b) => getComputedStyle(b).marginTop);
  expect(margin).toBe("12px");

  // The service worker still installs and controls the page.
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
  const manifest = await page.request.get("/manifest.webmanifest");
  expect(manifest.ok()).toBe(true);

  // The one expected refusal is the mail frame blocking the remote tracking image: that is the frame's policy working.
  expect(violations.filter((v) => !v.includes("tracker.example"))).toEqual([]);
});
