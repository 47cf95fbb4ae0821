import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeOpenAI, type FakeOpenAI } from "@/tests/support/fake-openai";
import type { TestUser } from "@/tests/support/api";
import type { ReceivedMail } from "@/tests/support/recording-smtp";

// AI personalisation of a campaign (an opening line per row, {{ ai_opening }}), through the real routes, feeder,
// delivery worker and an SMTP server, with the local OpenAI-compatible server writing the lines. Runs on SQLite
// and on PostgreSQL (vitest.config.mts).
let upstream: FakeOpenAI;
let smtp: { port: number; mails: ReceivedMail[]; close: () => Promise<void> };
let worker: { drain: () => Promise<void>; stop: () => Promise<void> };
let api: typeof import("@/tests/support/api");
let support: typeof import("@/tests/support/campaigns");
let db: (typeof import("@/lib/db/client"))["db"];
let feedCampaigns: (typeof import("@/lib/campaigns/feeder"))["feedCampaigns"];
let routes: {
  patch: typeof import("@/app/api/campaigns/[id]/route").PATCH;
  preview: typeof import("@/app/api/campaigns/[id]/preview/route").GET;
  pause: typeof import("@/app/api/campaigns/[id]/pause/route").POST;
  resume: typeof import("@/app/api/campaigns/[id]/resume/route").POST;
};
let closePools: () => void;

/** The row a request was for: the model is handed the row's columns as JSON data. */
const rowOf = (body: { messages: { content: string }[] }) =>
  (JSON.parse(body.messages[1]!.content) as { row: Record<string, string> }).row;
const openingRequests = () =>
  upstream.requests.filter((r) => r.body.messages[1]?.content.includes('"task":"opening_line"'));

beforeAll(async () => {
  // Unscripted, each line names its row, so a message can be checked against its own row's line.
  upstream = await startFakeOpenAI((body) => ({
    kind: "json",
    content: { opening: `Thanks for staying with us, ${rowOf(body).first_name}.` },
    usage: { prompt_tokens: 40, completion_tokens: 10 },
  }));
  Object.assign(process.env, {
    OPENAI_API_KEY: "sk-test-key",
    OPENAI_BASE_URL: upstream.baseUrl,
    OPENAI_MODEL: "test-small-model",
    AI_TIMEOUT_MS: "3000",
  });
  api = await import("@/tests/support/api");
  support = await import("@/tests/support/campaigns");
  db = (await import("@/lib/db/client")).db;
  feedCampaigns = (await import("@/lib/campaigns/feeder")).feedCampaigns;
  routes = {
    patch: (await import("@/app/api/campaigns/[id]/route")).PATCH,
    preview: (await import("@/app/api/campaigns/[id]/preview/route")).GET,
    pause: (await import("@/app/api/campaigns/[id]/pause/route")).POST,
    resume: (await import("@/app/api/campaigns/[id]/resume/route")).POST,
  };
  smtp = await (await import("@/tests/support/recording-smtp")).startRecordingSmtp();
  worker = (await import("@/lib/delivery/worker")).startDeliveryWorker({ pollMs: 60_000, maxInFlight: 20 });
  closePools = (await import("@/lib/mail/transport")).closeAllPools;
});

afterAll(async () => {
  await worker.stop();
  closePools();
  await smtp.close();
  await upstream.close();
});

const PERSONAL_HTML = "<p>Dear {{ first_name }},</p><p>{{ ai_opening }}</p><p>Our news.</p>";

/** A draft campaign of `rows` rows with the AI opening line on; its id. */
async function personalisedCampaign(user: TestUser, senderId: string, rows: number, domain: string) {
  const id = await support.draftCampaign(user, support.recipientsCsv(rows, domain), senderId);
  const res = await api.callRoute(routes.patch, {
    method: "PATCH",
    user,
    params: { id },
    json: {
      html: PERSONAL_HTML,
      aiOpeningEnabled: true,
      aiOpeningInstruction: "Thank them for being a customer.",
    },
  });
  expect(res.status).toBe(200);
  return id;
}

async function feedAndDrain(campaignId: string, until: (status: string) => boolean) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    await feedCampaigns();
    await worker.drain();
    const { status } = await db.campaign.findUniqueOrThrow({ where: { id: campaignId } });
    if (until(status)) return status;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error("the campaign did not get there");
}

/** The rows (by first name) whose line was asked for after the first `since` requests, in order of name. */
const askedFor = (since: number) =>
  openingRequests()
    .slice(since)
    .map((r) => rowOf(r.body).first_name)
    .sort();
const linesWritten = (campaignId: string) =>
  db.campaignRecipient.count({ where: { campaignId, aiOpening: { not: null } } });

const mailsTo = (domain: string) => smtp.mails.filter((m) => m.to[0]?.endsWith(`@${domain}`));
/** The message text with quoted-printable soft breaks undone (lines are short and plain ASCII here). */
const textOf = (mail: ReceivedMail) => mail.body.replace(/=\r?\n/g, "");

describe("AI opening line per row", () => {
  it("is shown in the preview, written once per row, kept through a pause and resume, and in every message", async () => {
    const user = await api.signUpUser("Personal");
    const senderId = (await api.addLoopbackSender(user, smtp.port)).id;
    const id = await personalisedCampaign(user, senderId, 6, "personal.test");

    // The preview writes row 1's line and keeps it; looking again asks for nothing.
    const preview = async () =>
      (await api.callRoute(routes.preview, { user, params: { id }, path: `/x?position=1` })).json();
    const first = await preview();
    expect(first.aiOpening).toBe("Thanks for staying with us, Name 1.");
    expect(first.html).toContain("<p>Thanks for staying with us, Name 1.</p>");
    const asked = openingRequests().length;
    expect((await preview()).aiOpening).toBe("Thanks for staying with us, Name 1.");
    expect(openingRequests().length).toBe(asked);
    expect(JSON.parse(openingRequests().at(-1)!.body.messages[1]!.content)).toMatchObject({
      instruction: "Thank them for being a customer.",
      row: { email: "user1@personal.test", first_name: "Name 1" },
    });

    // Start: the feeder writes the other five lines and queues the rows; a pause then takes the unsent messages
    // back. The lines stay on their rows. (The worker's own feeder runs beside the test's passes: a pass that
    // finds the other one writing this campaign's lines leaves them to it, so it takes passes until they are
    // all there; however many, each row is asked for once.)
    expect((await support.startCampaignRoute(user, id)).status).toBe(200);
    for (let pass = 0; pass < 100 && (await linesWritten(id)) < 6; pass++) {
      await feedCampaigns();
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(askedFor(asked)).toEqual(["Name 2", "Name 3", "Name 4", "Name 5", "Name 6"]);
    expect((await api.callRoute(routes.pause, { method: "POST", user, params: { id } })).status).toBe(200);
    const stored = await db.campaignRecipient.findMany({
      where: { campaignId: id },
      orderBy: { position: "asc" },
      select: { aiOpening: true, status: true },
    });
    expect(stored.map((r) => r.aiOpening)).toEqual(
      Array.from({ length: 6 }, (_, i) => `Thanks for staying with us, Name ${i + 1}.`),
    );

    // Resume and finish: no line is asked for again, and each recipient gets one message with its own line.
    expect((await api.callRoute(routes.resume, { method: "POST", user, params: { id } })).status).toBe(200);
    await feedAndDrain(id, (s) => s === "done");
    expect(askedFor(asked)).toEqual(["Name 2", "Name 3", "Name 4", "Name 5", "Name 6"]);
    const mails = mailsTo("personal.test");
    expect(mails.map((m) => m.to[0]).sort()).toEqual(
      Array.from({ length: 6 }, (_, i) => `user${i + 1}@personal.test`).sort(),
    );
    for (const mail of mails) {
      const n = /user(\d+)@/.exec(mail.to[0]!)![1];
      expect(textOf(mail)).toContain(`Thanks for staying with us, Name ${n}.`);
    }
    const usage = await db.aiUsage.findFirst({ where: { userId: user.id, feature: "personalise" } });
    expect(usage?.requests).toBe(6);
  });

  it("pauses the campaign with the reason when the AI allowance runs out, sends nothing without a line, and resumes without asking twice", async () => {
    const user = await api.signUpUser("Thrifty");
    const senderId = (await api.addLoopbackSender(user, smtp.port)).id;
    const id = await personalisedCampaign(user, senderId, 7, "thrifty.test");
    // The first four lines (asked for together) use up the day's 200,000 tokens between them.
    for (let i = 1; i <= 4; i++) {
      upstream.next({
        kind: "json",
        content: { opening: `Line number ${i}.` },
        usage: { prompt_tokens: 55_000, completion_tokens: 10 },
      });
    }
    const asked = openingRequests().length;
    expect((await support.startCampaignRoute(user, id)).status).toBe(200);
    await feedAndDrain(id, (s) => s === "paused");
    expect(openingRequests().length).toBe(asked + 4);

    const campaign = await db.campaign.findUniqueOrThrow({ where: { id } });
    expect(campaign.pausedReason).toMatch(/AI allowance is used up/);
    // Paused as a user's pause is: nothing more goes out. A row went only with its line (the worker's own feeder
    // may have sent rows whose lines were written before the allowance ran out); the lines written are kept.
    await worker.drain();
    const rows = await db.campaignRecipient.findMany({
      where: { campaignId: id },
      orderBy: { position: "asc" },
    });
    // Rows handed to delivery (queued or sent) all had their line; those without one are still pending.
    const handedOver = rows.filter((r) => r.status === "queued" || r.status === "sent");
    expect(handedOver.every((r) => r.aiOpening !== null)).toBe(true);
    expect(rows.filter((r) => r.aiOpening !== null)).toHaveLength(4);
    expect(rows.filter((r) => r.aiOpening === null).every((r) => r.status === "pending")).toBe(true);
    const mailsAtPause = mailsTo("thrifty.test").length;
    expect(mailsAtPause).toBeLessThanOrEqual(handedOver.length);
    for (const mail of mailsTo("thrifty.test")) expect(textOf(mail)).toMatch(/Line number [1-4]\./);
    await feedAndDrain(id, () => true);
    expect(mailsTo("thrifty.test")).toHaveLength(mailsAtPause);
    expect(openingRequests().length).toBe(asked + 4);

    // The next day's allowance (today's usage gone), and Resume: only the three missing lines are asked for.
    await db.aiUsage.deleteMany({ where: { userId: user.id } });
    expect((await api.callRoute(routes.resume, { method: "POST", user, params: { id } })).status).toBe(200);
    expect((await db.campaign.findUniqueOrThrow({ where: { id } })).pausedReason).toBeNull();
    await feedAndDrain(id, (s) => s === "done");
    expect(openingRequests().length).toBe(asked + 7);
    const mails = mailsTo("thrifty.test");
    expect(mails).toHaveLength(7);
    const lines = mails.map(
      (m) => /Line number \d\.|Thanks for staying with us, Name \d\./.exec(textOf(m))?.[0],
    );
    expect(lines.filter((l) => l?.startsWith("Line number"))).toHaveLength(4);
    expect(lines.filter((l) => l?.startsWith("Thanks"))).toHaveLength(3);
  });

  it("refuses to start without {{ ai_opening }} in the template, and to turn on without an instruction", async () => {
    const user = await api.signUpUser("Careful");
    const senderId = (await api.addLoopbackSender(user, smtp.port)).id;
    const id = await support.draftCampaign(user, support.recipientsCsv(2, "careful.test"), senderId);

    const noInstruction = await api.callRoute(routes.patch, {
      method: "PATCH",
      user,
      params: { id },
      json: { aiOpeningEnabled: true },
    });
    expect(noInstruction.status).toBe(400);
    expect((await noInstruction.json()).error.fields).toHaveProperty("aiOpeningInstruction");

    const on = await api.callRoute(routes.patch, {
      method: "PATCH",
      user,
      params: { id },
      json: { aiOpeningEnabled: true, aiOpeningInstruction: "Say hi." },
    });
    expect(on.status).toBe(200);
    expect((await on.json()).campaign).toMatchObject({
      aiOpeningEnabled: true,
      aiOpeningInstruction: "Say hi.",
    });

    const start = await support.startCampaignRoute(user, id);
    expect(start.status).toBe(400);
    expect((await start.json()).error.fields).toHaveProperty("html");
    expect((await db.campaign.findUniqueOrThrow({ where: { id } })).status).toBe("draft");
  });
});
