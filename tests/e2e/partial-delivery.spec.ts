import { randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import { expect, test } from "@playwright/test";
import { SMTPServer } from "smtp-server";
import { startTestSmtpServer } from "../support/smtp-test-server";
import { signUp } from "./helpers";

test("a partly delivered message: marked in Sent, and its page shows each recipient's state and the server's reason", async ({
  page,
}) => {
  // A mail server that takes alice@ and refuses ghost@ for good (550 5.1.1 on RCPT TO).
  const smtp = await startTestSmtpServer({
    users: { "me@acme.test": "pw" },
    rejectRecipients: ["ghost@acme.test"],
    // The app keeps its pooled connection to this server open: do not wait for it at the end.
    closeTimeoutMs: 100,
  });
  try {
    await signUp(page);
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
        to: [{ address: "alice@acme.test" }, { address: "ghost@acme.test" }],
        subject: "Board minutes",
        html: "<p>Minutes attached.</p>",
      },
    });
    expect(sent.status()).toBe(202);

    await page.goto("/sent");
    const item = page.getByTestId("sent-item").filter({ hasText: "Board minutes" });
    await expect(item.locator("[data-status=partial]")).toHaveText("Partly delivered");
    await expect(item).toContainText("1 of 2 refused");

    await item.click();
    await expect(page.getByRole("heading", { name: "Board minutes" })).toBeVisible();
    await expect(page.locator("[data-status=partial]")).toBeVisible();
    await expect(
      page.getByText("Delivered to 1 of 2 recipients. Not delivered to ghost@acme.test."),
    ).toBeVisible();
    const table = page.getByRole("table", { name: "Recipients" });
    await expect(table.getByRole("row", { name: /alice@acme\.test/ })).toContainText("Accepted");
    const refused = table.getByRole("row", { name: /ghost@acme\.test/ });
    await expect(refused).toContainText("Refused");
    await expect(refused).toContainText("550 5.1.1 Mailbox does not exist");
    const timeline = page.getByRole("list", { name: "Status timeline" });
    await expect(timeline).toContainText("Partly delivered");
    await expect(timeline).toContainText("refused for ghost@acme.test: 550 5.1.1 Mailbox does not exist");
    expect(smtp.received.map((m) => m.envelopeTo)).toEqual([["alice@acme.test"]]);
  } finally {
    await smtp.close();
  }
});

test("a recipient the server deferred: its page says it will be retried, and which recipient has it already", async ({
  page,
}) => {
  // Takes alice@ and answers 450 (mailbox busy) for bob@.
  const server = new SMTPServer({
    authOptional: true,
    allowInsecureAuth: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    disableReverseLookup: true,
    closeTimeout: 100,
    onAuth: (_auth, _s, cb) => cb(null, { user: "me" }),
    onRcptTo: (address, _s, cb) =>
      address.address === "bob@acme.test"
        ? cb(Object.assign(new Error("4.2.0 Mailbox busy"), { responseCode: 450 }))
        : cb(),
    onData: (stream, _s, cb) => stream.on("end", () => cb()).resume(),
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.server.address() as AddressInfo).port;
  try {
    await signUp(page);
    const added = await page.request.post("/api/senders", {
      data: {
        preset: "custom",
        fromEmail: "me@acme.test",
        host: "127.0.0.1",
        port,
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
        to: [{ address: "alice@acme.test" }, { address: "bob@acme.test" }],
        subject: "Greylisted",
        html: "<p>Hello</p>",
      },
    });
    expect(sent.status()).toBe(202);
    const id = ((await sent.json()) as { message: { id: string } }).message.id;

    await page.goto(`/messages/${id}`);
    const table = page.getByRole("table", { name: "Recipients" });
    await expect(table.getByRole("row", { name: /bob@acme\.test/ })).toContainText("Deferred — will retry");
    await expect(table.getByRole("row", { name: /bob@acme\.test/ })).toContainText("450 4.2.0 Mailbox busy");
    await expect(table.getByRole("row", { name: /alice@acme\.test/ })).toContainText("Accepted");
    await expect(page.locator("[data-status=retrying]")).toBeVisible();
    await expect(page.getByText("Will retry for bob@acme.test")).toBeVisible();
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});
