import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { POST as enqueue } from "@/app/api/messages/route";
import { db } from "@/lib/db/client";
import { newTimeOrderedId } from "@/lib/db/ids";
import { workerNodeArgs } from "@/lib/delivery/worker-command";
import { MAX_HTML_DEPTH } from "@/lib/mail/html-depth";
import { insertMessage } from "@/lib/messages/insert-batcher";
import { addLoopbackSender, callRoute, signUpUser, type TestUser } from "@/tests/support/api";
import { queueBulkMessages } from "@/tests/support/bulk-queue";
import { startTestSmtpServer, type TestSmtpServer } from "@/tests/support/smtp-test-server";

// One message whose body would overflow the stack of the code that prepares it (20,000 nested <div>s: the
// HTML-to-text conversion recursed once per level) must end failed, with the reason, and never take the
// worker process down with it: every other message of every user goes on.
let user: TestUser;
let smtp: TestSmtpServer;
let worker: ChildProcess | undefined;
const deepHtml = `${"<div>".repeat(20_000)}deep${"</div>".repeat(20_000)}`;

beforeAll(async () => {
  user = await signUpUser("Poison");
  smtp = await startTestSmtpServer({ users: { "me@acme.test": "pw" } });
});

afterAll(async () => {
  if (worker && worker.exitCode === null) {
    worker.kill("SIGTERM");
    await new Promise((r) => worker!.once("exit", r));
  }
  await smtp.close();
});

it("the API refuses HTML nested deeper than the limit, naming the field, and stores nothing", async () => {
  const sender = await addLoopbackSender(user, smtp.port);
  const before = await db.message.count({ where: { userId: user.id } });
  const res = await callRoute(enqueue, {
    method: "POST",
    path: "/api/messages",
    user,
    json: {
      idempotencyKey: randomUUID(),
      senderId: sender.id,
      to: [{ address: "a@example.com" }],
      subject: "Deep",
      html: deepHtml,
    },
  });
  expect(res.status).toBe(400);
  const body = (await res.json()) as { error: { fields?: Record<string, string[]> } };
  expect(body.error.fields?.html?.join(" ")).toMatch(new RegExp(`more than ${MAX_HTML_DEPTH} levels deep`));
  expect(await db.message.count({ where: { userId: user.id } })).toBe(before);

  // Nesting up to the limit is fine.
  const ok = await callRoute(enqueue, {
    method: "POST",
    path: "/api/messages",
    user,
    json: {
      idempotencyKey: randomUUID(),
      senderId: sender.id,
      to: [{ address: "a@example.com" }],
      subject: "Nested, within the limit",
      html: `${"<div>".repeat(MAX_HTML_DEPTH)}fine${"</div>".repeat(MAX_HTML_DEPTH)}`,
    },
  });
  expect(ok.status).toBe(202);
  await db.message.deleteMany({ where: { userId: user.id } });
});

it(
  "a standalone worker given a stored 20,000-level message fails that one with a reason, stays up and sends the others",
  { timeout: 120_000 },
  async () => {
    const sender = await addLoopbackSender(user, smtp.port);
    // Stored as it would be by a version without the limit: the worker must guard against it on its own.
    const poisonId = newTimeOrderedId();
    const now = new Date();
    await insertMessage({
      id: poisonId,
      userId: user.id,
      senderId: sender.id,
      idempotencyKey: randomUUID(),
      requestHash: "h",
      messageIdHeader: `<poison-${randomUUID()}@acme.test>`,
      fromName: null,
      fromEmail: "me@acme.test",
      to: [{ address: "victim@example.com" }],
      cc: [],
      bcc: [],
      recipientCount: 1,
      subject: "Poison",
      html: deepHtml,
      searchText: "poison",
      status: "queued",
      attempts: 0,
      nextAttemptAt: now,
      sendAt: null,
      createdAt: now,
    });
    await queueBulkMessages({
      userId: user.id,
      senderId: sender.id,
      fromEmail: "me@acme.test",
      count: 5,
      tag: "fine",
    });

    let output = "";
    worker = spawn(process.execPath, [...workerNodeArgs], {
      env: { ...process.env, DELIVERY_POLL_MS: "100", LOG_LEVEL: "error" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    worker.stdout!.on("data", (c: Buffer) => (output += c.toString()));
    worker.stderr!.on("data", (c: Buffer) => (output += c.toString()));

    const deadline = Date.now() + 90_000;
    const settled = async () =>
      (await db.message.count({ where: { userId: user.id, status: { in: ["queued", "sending"] } } })) === 0;
    while (!(await settled())) {
      if (worker.exitCode !== null) throw new Error(`the worker exited (${worker.exitCode}):\n${output}`);
      if (Date.now() > deadline) throw new Error(`messages still waiting; worker output:\n${output}`);
      await new Promise((r) => setTimeout(r, 100));
    }

    // The worker is still up, and the other five went out.
    expect(worker.exitCode).toBeNull();
    expect(
      await db.message.count({ where: { userId: user.id, subject: { startsWith: "fine" }, status: "sent" } }),
    ).toBe(5);
    expect(smtp.received.filter((m) => m.envelopeTo.includes("victim@example.com"))).toEqual([]);
    const poison = await db.message.findUniqueOrThrow({
      where: { id: poisonId },
      include: { events: { where: { type: "failed" } } },
    });
    expect(poison.status).toBe("failed");
    expect(poison.lastError).toMatch(/nests elements more than \d+ levels deep/);
    expect(poison.events.map((e) => e.detail)).toEqual([poison.lastError]);
  },
);
