import "server-only";
// Before sending: every row that would go is filled in, and what a recipient would notice is listed — values a
// template shows that are empty, an empty subject, a message over the size limit, a row the template cannot
// fill — with the number that will go and when the last one will, at the sender's limits.
import { findCampaignOrThrow } from "@/lib/campaigns/campaigns";
import { planCampaign, type CampaignPlan } from "@/lib/campaigns/plan";
import { compiledCampaignTemplate } from "@/lib/campaigns/rendering";
import { db } from "@/lib/db/client";
import { limitsFor } from "@/lib/delivery/sender-limits";
import { renderTemplate, variablesShownWithoutDefault } from "@/lib/templates/render";
import { MAX_BODY_BYTES } from "@/lib/validation/messages";

export type DryRunFinding = { position: number; email: string; problem: string };

export type DryRunReport = {
  /** Rows that would be sent now. */
  willSend: number;
  /** Rows left out: invalid, duplicate or on the suppression list. */
  skipped: number;
  suppressed: number;
  /** Variables the template reads that no column provides. */
  unknownVariables: string[];
  findings: DryRunFinding[];
  /** Rows with findings, all of them (the list above stops at LISTED). */
  rowsWithFindings: number;
  plan: CampaignPlan | null;
};

const LISTED = 500;
const PAGE = 2000;

export async function dryRunCampaign(userId: string, id: string): Promise<DryRunReport> {
  const campaign = await findCampaignOrThrow(userId, id);
  const template = compiledCampaignTemplate(campaign);
  const columns = new Set((campaign.columns as { variable: string }[]).map((c) => c.variable));
  const shown = variablesShownWithoutDefault(campaign.subject + campaign.html, template.variables);
  const suppressedEmails = new Set(
    (await db.suppression.findMany({ where: { userId }, select: { email: true } })).map((s) => s.email),
  );
  const findings: DryRunFinding[] = [];
  let rowsWithFindings = 0;
  let willSend = 0;
  let suppressed = 0;
  for (let after = 0; ;) {
    const rows = await db.campaignRecipient.findMany({
      where: { campaignId: id, status: "pending", position: { gt: after } },
      orderBy: { position: "asc" },
      take: PAGE,
      select: { position: true, email: true, values: true },
    });
    for (const row of rows) {
      if (suppressedEmails.has(row.email)) {
        suppressed += 1;
        continue;
      }
      willSend += 1;
      const values = row.values as Record<string, string>;
      const problems: string[] = [];
      const missing = shown.filter((v) => columns.has(v) && !values[v]?.trim());
      if (missing.length) problems.push(`No value for ${missing.join(", ")}.`);
      try {
        const rendered = renderTemplate(template, values);
        if (!rendered.subject) problems.push("The subject is empty.");
        const size = Buffer.byteLength(rendered.html, "utf8");
        if (size > MAX_BODY_BYTES)
          problems.push(`The message is ${(size / 1048576).toFixed(1)} MB; at most 5 MB.`);
      } catch (error) {
        problems.push(`The template could not be filled: ${(error as Error).message}`);
      }
      if (problems.length) {
        rowsWithFindings += 1;
        if (findings.length < LISTED)
          findings.push({ position: row.position, email: row.email, problem: problems.join(" ") });
      }
    }
    if (rows.length < PAGE) break;
    after = rows.at(-1)!.position;
  }
  const skipped = await db.campaignRecipient.count({ where: { campaignId: id, status: "skipped" } });
  const sender = campaign.senderId
    ? await db.sender.findFirst({ where: { id: campaign.senderId, userId } })
    : null;
  const now = new Date();
  const plan = sender
    ? planCampaign({
        messages: willSend,
        limits: limitsFor(sender),
        sentLast24h: await db.message.count({
          where: { senderId: sender.id, sentAt: { gte: new Date(now.getTime() - 86_400_000) } },
        }),
        startAt: campaign.startAt && campaign.startAt > now ? campaign.startAt : now,
      })
    : null;
  return {
    willSend,
    skipped,
    suppressed,
    unknownVariables: template.variables.filter((v) => !columns.has(v)),
    findings,
    rowsWithFindings,
    plan,
  };
}
