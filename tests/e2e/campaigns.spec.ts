import type { AddressInfo } from "node:net";
import { expect, test } from "@playwright/test";
import { SMTPServer } from "smtp-server";
import { signUp } from "./helpers";

// A mail merge as a user takes it: import a CSV, map the address column, preview a row, dry run, start, watch the
// progress, pause, resume, and read the per-recipient results (and their CSV). The sender is the test's own SMTP
// server, paced at 2 messages a second so that there is time to pause.
const ROWS = 12;

test("import a CSV, map, preview, dry run, send, pause, resume, and see every recipient's result", async ({
  page,
}) => {
  const received: string[] = [];
  const server = new SMTPServer({
    authOptional: true,
    allowInsecureAuth: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    // The app keeps its pooled connection open: closing at the end need not wait smtp-server's default 30 s.
    closeTimeout: 1000,
    onAuth: (_auth, _session, cb) => cb(null, { user: "shop" }),
    onData(stream, session, cb) {
      stream.resume();
      stream.on("end", () => {
        received.push(...session.envelope.rcptTo.map((r) => r.address));
        cb();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.server.address() as AddressInfo).port;

  try {
    await signUp(page);
    const created = await page.request.post("/api/senders", {
      data: {
        preset: "custom",
        label: "Shop relay",
        fromEmail: "shop@acme.test",
        host: "127.0.0.1",
        port,
        security: "none",
        password: "unused",
        maxPerSecond: 2,
      },
    });
    expect(created.status()).toBe(201);

    await page.goto("/campaigns");
    await expect(page.getByText("No campaigns yet.")).toBeVisible();
    // The address is in the second column, under a name that does not say so: it is found by its values.
    const lines = ["Name;Contact;Company"];
    for (let i = 1; i <= ROWS; i++) lines.push(`Person ${i};person${i}@merge.test;${i % 2 ? "Acme" : ""}`);
    lines.push("No Address;not-an-address;Acme");
    await page.getByTestId("csv-input").setInputFiles({
      name: "customers.csv",
      mimeType: "text/csv",
      buffer: Buffer.from(`\uFEFF${lines.join("\n")}\n`),
    });
    await expect(page.getByRole("heading", { name: "customers", level: 1 })).toBeVisible();
    await expect(page.getByTestId("import-summary")).toHaveText(
      `${ROWS + 1} rows: ${ROWS} will go, 1 without a valid address, 0 duplicates.`,
    );
    // The column chosen for addresses is the one the import detected.
    await expect(
      page.getByRole("combobox", { name: "Email address column" }).locator("option:checked"),
    ).toContainText("Contact");

    const sendThrough = page.getByRole("combobox", { name: "Send through" });
    const relay = await sendThrough.locator("option", { hasText: "Shop relay" }).getAttribute("value");
    await sendThrough.selectOption(relay!);
    const main = page.getByRole("main");
    await main.getByLabel("Subject").fill('Hello {{ name | default: "there" }}');
    // The body in the rich editor: one variable from the menu, one typed as a tag; both become chips.
    const body = main.getByRole("textbox", { name: "Template body" });
    await body.click();
    await page.keyboard.type("Dear ");
    await main.getByRole("button", { name: "Insert variable", exact: true }).click();
    await page.getByRole("menuitem", { name: "name", exact: true }).click();
    await expect(body.getByRole("img", { name: "Variable name" })).toBeVisible();
    await expect(body).toBeFocused();
    await page.keyboard.type(",");
    await page.keyboard.press("Enter");
    await page.keyboard.type("{% if company %}News from {{ company }}.{% endif %}");
    await expect(body.getByRole("img", { name: "Variable company" })).toBeVisible();
    await page.getByRole("button", { name: "Save message" }).click();

    // The preview of row 2 (no company: the conditional part is left out).
    await expect(page.getByTestId("preview-subject")).toHaveText("Hello Person 1");
    await page.getByRole("button", { name: "Next" }).click();
    await expect(page.getByRole("heading", { name: /Preview: row 2 of/ })).toBeVisible();
    await expect(page.getByTestId("preview-subject")).toHaveText("Hello Person 2");
    const frame = page.frameLocator('iframe[title="Preview of row 2"]');
    await expect(frame.getByText("Dear Person 2,")).toBeVisible();
    await expect(frame.getByText("News from")).toHaveCount(0);

    await page.getByRole("button", { name: "Dry run" }).click();
    const dryRun = page.getByTestId("dry-run-report");
    await expect(dryRun).toContainText(`${ROWS} messages will go`);
    await expect(dryRun).toContainText("Every row fills the template without a problem.");

    await page.getByRole("button", { name: "Start sending" }).click();
    await expect(page.getByTestId("campaign-status")).toHaveText("Sending");
    // Progress follows while it sends; pause once some have gone.
    await expect(page.getByTestId("campaign-counts")).toContainText(/^[1-9]\d* sent/, { timeout: 20_000 });
    await page.getByRole("button", { name: "Pause" }).click();
    await expect(page.getByTestId("campaign-status")).toHaveText("Paused");
    const atPause = received.length;
    expect(atPause).toBeLessThan(ROWS);

    await page.getByRole("button", { name: "Resume" }).click();
    await expect(page.getByTestId("campaign-status")).toHaveText("Done", { timeout: 30_000 });
    await expect(page.getByTestId("campaign-counts")).toContainText(`${ROWS} sent · 0 waiting · 0 failed`);
    expect(received.sort()).toEqual(
      Array.from({ length: ROWS }, (_, i) => `person${i + 1}@merge.test`).sort(),
    );

    // Each recipient's result, on the page and as CSV.
    const results = page.getByTestId("recipient-row");
    await expect(results).toHaveCount(ROWS + 1);
    await expect(results.filter({ hasText: "person3@merge.test" })).toContainText("Sent");
    await expect(results.filter({ hasText: "not-an-address" })).toContainText("Not sent");
    const csv = await page.request.get(page.url().replace(/\/campaigns\//, "/api/campaigns/") + "/results");
    expect(csv.status()).toBe(200);
    const csvLines = (await csv.text()).trim().split(/\r?\n/);
    expect(csvLines[0]).toBe("row,email,status,reason,message_id,sent_at,unsubscribed_at");
    expect(csvLines.filter((l) => l.includes(",sent,"))).toHaveLength(ROWS);
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});
