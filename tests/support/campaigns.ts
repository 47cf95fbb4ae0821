// Campaign steps through the real route handlers, as the page takes them.
import { POST as importCsv } from "@/app/api/campaigns/route";
import { PATCH as patchCampaign } from "@/app/api/campaigns/[id]/route";
import { POST as startRoute } from "@/app/api/campaigns/[id]/start/route";
import { feedCampaigns } from "@/lib/campaigns/feeder";
import { db } from "@/lib/db/client";
import { callRoute, type TestUser } from "@/tests/support/api";

/** A CSV of `count` rows: email, first_name, company (every third without a company). */
export function recipientsCsv(count: number, domain = "example.test"): string {
  const lines = ["email;First name;Company"];
  for (let i = 1; i <= count; i++) lines.push(`user${i}@${domain};Name ${i};${i % 3 ? `Co ${i}` : ""}`);
  return `${lines.join("\n")}\n`;
}

export async function importCampaignCsv(user: TestUser, csv: string, query = ""): Promise<Response> {
  return callRoute(importCsv, {
    method: "POST",
    path: `/api/campaigns${query}`,
    user,
    rawBody: csv,
    headers: { "content-type": "text/csv" },
  });
}

/** A draft campaign from `csv`, with a sender and a template; its id. */
export async function draftCampaign(user: TestUser, csv: string, senderId: string): Promise<string> {
  const res = await importCampaignCsv(user, csv);
  if (res.status !== 201) throw new Error(`import answered ${res.status}: ${await res.text()}`);
  const id = ((await res.json()) as { campaign: { id: string } }).campaign.id;
  const patched = await callRoute(patchCampaign, {
    method: "PATCH",
    user,
    params: { id },
    json: {
      senderId,
      subject: 'Hello {{ first_name | default: "there" }}',
      html: "<p>Dear {{ first_name }},</p>{% if company %}<p>News for {{ company }}.</p>{% endif %}",
    },
  });
  if (patched.status !== 200) throw new Error(`patch answered ${patched.status}: ${await patched.text()}`);
  return id;
}

export async function startCampaignRoute(user: TestUser, id: string): Promise<Response> {
  return callRoute(startRoute, { method: "POST", user, params: { id } });
}

/**
 * Runs the worker's feeder and lets `drain` deliver what it queued, pass after pass, until the campaign is done
 * (at most `passes` times); resolves with the campaign's status then.
 */
export async function feedUntilDone(id: string, drain: () => Promise<void>, passes = 100): Promise<string> {
  const status = async () => (await db.campaign.findUniqueOrThrow({ where: { id } })).status;
  for (let i = 0; i < passes && (await status()) !== "done"; i++) {
    await feedCampaigns();
    await drain();
  }
  return status();
}
