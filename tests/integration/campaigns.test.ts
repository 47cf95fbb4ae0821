import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as getCampaign } from "@/app/api/campaigns/[id]/route";
import { POST as dryRun } from "@/app/api/campaigns/[id]/dry-run/route";
import { POST as pause } from "@/app/api/campaigns/[id]/pause/route";
import { GET as preview } from "@/app/api/campaigns/[id]/preview/route";
import { GET as recipients } from "@/app/api/campaigns/[id]/recipients/route";
import { GET as results } from "@/app/api/campaigns/[id]/results/route";
import { POST as resume } from "@/app/api/campaigns/[id]/resume/route";
import { GET as listSuppressions, POST as addSuppression } from "@/app/api/suppressions/route";
import { GET as unsubscribePage, POST as unsubscribePost } from "@/app/api/unsubscribe/[token]/route";
import { feedCampaigns } from "@/lib/campaigns/feeder";
import { db } from "@/lib/db/client";
import { startDeliveryWorker, type DeliveryWorker } from "@/lib/delivery/worker";
import { closeAllPools } from "@/lib/mail/transport";
import { addLoopbackSender, callRoute, signUpUser, type TestUser } from "@/tests/support/api";
import {
  draftCampaign,
  importCampaignCsv,
  recipientsCsv,
  startCampaignRoute,
} from "@/tests/support/campaigns";
import { startRecordingSmtp } from "@/tests/support/recording-smtp";

let smtp: Awaited<ReturnType<typeof startRecordingSmtp>>;
let worker: DeliveryWorker;
let owner: TestUser;
let senderId: string;

beforeAll(async () => {
  smtp = await startRecordingSmtp();
  worker = startDeliveryWorker({ pollMs: 60_000, maxInFlight: 20 });
  owner = await signUpUser("Owner");
  senderId = (await addLoopbackSender(owner, smtp.port)).id;
});

afterAll(async () => {
  await worker.stop();
  closeAllPools();
  await smtp.close();
});

/**
 * Feeder passes and worker drains until the campaign is done. Bounded by time, not by passes: a paced sender
 * (maxPerSecond) puts messages off for seconds, and on a quiet machine passes over nothing due come quickly.
 */
async function runToEnd(campaignId: string) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    await feedCampaigns();
    await worker.drain();
    const c = await db.campaign.findUniqueOrThrow({ where: { id: campaignId } });
    if (c.status === "done") return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error("the campaign did not finish");
}

const view = async (user: TestUser, id: string) =>
  (await (await callRoute(getCampaign, { user, params: { id } })).json()) as {
    campaign: { status: string; counts: Record<string, number> };
    report: { invalid: { position: number }[]; duplicates: { position: number }[] };
  };

describe("campaigns", () => {
  it("import, preview, dry run, send: each valid row once, with its values escaped, unsubscribe headers and a footer", async () => {
    const csv =
      "email;First name;Company\n" +
      "ann@x.test;Ann;Acme & Sons\n" +
      "bob@x.test;<b>Bob</b>;\n" +
      "not-an-address;Zed;\n" +
      "ANN@x.test;Ann again;\n" +
      'carol@x.test;"Carol\nwith a line";Co\n' +
      "dan@x.test;;\n";
    const id = await draftCampaign(owner, csv, senderId);
    const before = await view(owner, id);
    expect(before.campaign.counts).toMatchObject({ total: 6, waiting: 4, skipped: 2 });
    expect(before.report.invalid.map((p) => p.position)).toEqual([3]);
    expect(before.report.duplicates.map((p) => p.position)).toEqual([4]);

    const shown = await (
      await callRoute(preview, { user: owner, params: { id }, path: "/x?position=2" })
    ).json();
    expect(shown).toMatchObject({ to: "bob@x.test", subject: "Hello <b>Bob</b>" });
    expect(shown.html).toContain("<p>Dear &lt;b&gt;Bob&lt;/b&gt;,</p>");
    expect(shown.html).not.toContain("News for");

    const { dryRun: report } = await (
      await callRoute(dryRun, { method: "POST", user: owner, params: { id } })
    ).json();
    expect(report.willSend).toBe(4);
    expect(report.skipped).toBe(2);
    // Dan has no first name: the body shows it without a default (the subject has one).
    expect(report.findings).toEqual([
      { position: 6, email: "dan@x.test", problem: "No value for first_name." },
    ]);
    expect(report.plan.summary).toContain("as fast as the server accepts them");

    expect((await startCampaignRoute(owner, id)).status).toBe(200);
    await runToEnd(id);

    const mine = smtp.mails.filter(
      (m) => m.headers.includes(`@acme.test>`) && m.messageId.startsWith("<cm."),
    );
    expect(mine.map((m) => m.to[0]).sort()).toEqual([
      "ann@x.test",
      "bob@x.test",
      "carol@x.test",
      "dan@x.test",
    ]);
    const ann = mine.find((m) => m.to[0] === "ann@x.test")!;
    expect(ann.headers).toMatch(/^Subject: Hello Ann$/m);
    expect(ann.headers).toMatch(
      /^List-Unsubscribe: <http[^>]+\/api\/unsubscribe\/[^>]+>, <mailto:me@acme\.test\?subject=unsubscribe>/m,
    );
    expect(ann.headers).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click$/m);
    expect(ann.body).toContain("Acme &amp; Sons");
    expect(ann.body).toContain("Unsubscribe");

    const after = await view(owner, id);
    expect(after.campaign).toMatchObject({
      status: "done",
      counts: { sent: 4, waiting: 0, skipped: 2, failed: 0 },
    });
    const csvOut = await (await callRoute(results, { user: owner, params: { id } })).text();
    expect(csvOut.split("\r\n")[0]).toBe("row,email,status,reason,message_id,sent_at,unsubscribed_at");
    expect(csvOut).toMatch(/^3,not-an-address,skipped,Not a valid email address\.,/m);
    expect(csvOut).toMatch(/^1,ann@x\.test,sent,,<cm\.[^>]+@acme\.test>,20/m);
  });

  it("unsubscribe: a GET shows a button and changes nothing; a POST suppresses; a later campaign skips the address", async () => {
    const id = await draftCampaign(owner, recipientsCsv(3, "unsub.test"), senderId);
    await startCampaignRoute(owner, id);
    await runToEnd(id);
    const mail = smtp.mails.find((m) => m.to[0] === "user2@unsub.test")!;
    const url = /^List-Unsubscribe: <([^>]+)>/m.exec(mail.headers)![1]!;
    const token = url.split("/").at(-1)!;

    const page = await callRoute(unsubscribePage, { params: { token } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<form method="post">');
    expect(await db.suppression.count({ where: { userId: owner.id, email: "user2@unsub.test" } })).toBe(0);

    const forged = `${token.slice(0, -2)}xx`;
    expect(
      (
        await callRoute(unsubscribePost, {
          method: "POST",
          params: { token: forged },
          rawBody: "List-Unsubscribe=One-Click",
          headers: { "content-type": "application/x-www-form-urlencoded" },
        })
      ).status,
    ).toBe(404);

    const done = await callRoute(unsubscribePost, {
      method: "POST",
      params: { token },
      rawBody: "List-Unsubscribe=One-Click",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(done.status).toBe(200);
    const { suppressions } = await (await callRoute(listSuppressions, { user: owner })).json();
    expect(suppressions).toEqual([
      expect.objectContaining({ email: "user2@unsub.test", reason: "unsubscribed" }),
    ]);
    expect((await view(owner, id)).campaign.counts.unsubscribed).toBe(1);

    await callRoute(addSuppression, { method: "POST", user: owner, json: { email: "User3@unsub.test" } });
    const next = await draftCampaign(owner, recipientsCsv(3, "unsub.test"), senderId);
    await startCampaignRoute(owner, next);
    await runToEnd(next);
    const rows = (await (await callRoute(recipients, { user: owner, params: { id: next } })).json())
      .recipients;
    expect(
      rows.map((r: { email: string; status: string; reason: string | null }) => [
        r.email,
        r.status,
        r.reason,
      ]),
    ).toEqual([
      ["user1@unsub.test", "sent", null],
      ["user2@unsub.test", "skipped", "On the suppression list (unsubscribed)."],
      ["user3@unsub.test", "skipped", "On the suppression list (manual)."],
    ]);
  });

  it("pause takes back what no worker claimed; resume sends the rest; nobody twice, nobody left out", async () => {
    const slow = (
      await addLoopbackSender(owner, smtp.port, { fromEmail: "slow@acme.test", maxPerSecond: 20 })
    ).id;
    const id = await draftCampaign(owner, recipientsCsv(60, "pause.test"), slow);
    await startCampaignRoute(owner, id);
    const sentNow = () => smtp.mails.filter((m) => m.to[0]?.endsWith("@pause.test")).length;
    for (let i = 0; i < 400 && sentNow() < 10; i++) await new Promise((r) => setTimeout(r, 25));
    expect((await callRoute(pause, { method: "POST", user: owner, params: { id } })).status).toBe(200);
    await worker.drain();
    const atPause = sentNow();
    expect(atPause).toBeLessThan(60);
    await new Promise((r) => setTimeout(r, 700)); // the feeder's idle pass comes and goes: nothing more leaves
    await worker.drain();
    expect(sentNow()).toBe(atPause);
    expect((await view(owner, id)).campaign.status).toBe("paused");

    expect((await callRoute(resume, { method: "POST", user: owner, params: { id } })).status).toBe(200);
    await runToEnd(id);
    const got = smtp.mails.filter((m) => m.to[0]?.endsWith("@pause.test")).map((m) => m.to[0]);
    expect(got).toHaveLength(60);
    expect(new Set(got).size).toBe(60);
  }, 45_000);

  it("refuses a file over 10 MB with 413, and a file without rows with 400", async () => {
    const big = `email\n${"a".repeat(10 * 1024 * 1024)}\n`;
    expect((await importCampaignCsv(owner, big)).status).toBe(413);
    const empty = await importCampaignCsv(owner, "email\n");
    expect(empty.status).toBe(400);
    expect((await empty.json()).error.message).toMatch(/no rows/);
  });

  it("another user's campaign is not found", async () => {
    const other = await signUpUser("Other");
    const id = await draftCampaign(owner, recipientsCsv(2, "own.test"), senderId);
    expect((await callRoute(getCampaign, { user: other, params: { id } })).status).toBe(404);
    expect((await startCampaignRoute(other, id)).status).toBe(404);
    expect((await callRoute(results, { user: other, params: { id } })).status).toBe(404);
    expect((await callRoute(getCampaign, { user: null, params: { id } })).status).toBe(401);
  });
});
