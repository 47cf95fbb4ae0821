import "server-only";
import { ApiError } from "@/lib/api/errors";
import {
  checkAddresses,
  CsvImportError,
  parseRecipientsCsv,
  type CsvColumn,
  type CsvProblem,
  type CsvRow,
} from "@/lib/campaigns/csv-import";
import { db } from "@/lib/db/client";
import { newTimeOrderedId } from "@/lib/db/ids";
import type { Prisma } from "@/lib/generated/prisma/client";
import { checkedTemplate, getTemplateOrThrow } from "@/lib/templates/templates";
import { getSenderOrThrow } from "@/lib/senders/senders";
import type { CampaignPatch } from "@/lib/validation/campaigns";

export type CampaignStatus = "draft" | "running" | "paused" | "cancelled" | "done";

export type CampaignCounts = {
  total: number;
  /** Not yet handed to delivery, or handed and not yet settled. */
  waiting: number;
  sent: number;
  failed: number;
  cancelled: number;
  /** Invalid, duplicate or suppressed addresses: never sent. */
  skipped: number;
  unsubscribed: number;
};

export type CampaignView = {
  id: string;
  name: string;
  status: CampaignStatus;
  senderId: string | null;
  subject: string;
  html: string;
  columns: CsvColumn[];
  emailColumn: string;
  startAt: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  /** Why the campaign paused itself (the AI allowance ran out); null otherwise. */
  pausedReason: string | null;
  aiOpeningEnabled: boolean;
  aiOpeningInstruction: string;
  createdAt: string;
  counts: CampaignCounts;
};

export type ImportReport = {
  rows: number;
  valid: number;
  invalid: CsvProblem[];
  duplicates: CsvProblem[];
};

const LISTED_PROBLEMS = 500;

/** A draft campaign from a CSV file: every row becomes a ledger row, those that will not go say why. */
export async function importCampaign(
  userId: string,
  csv: Buffer,
  options: { name?: string; emailColumn?: string },
): Promise<{ campaign: CampaignView; report: ImportReport }> {
  let parsed;
  try {
    parsed = parseRecipientsCsv(csv);
  } catch (error) {
    if (error instanceof CsvImportError) {
      throw new ApiError(error.tooLarge ? "payload_too_large" : "validation_failed", error.message);
    }
    throw error;
  }
  const emailColumn = options.emailColumn ?? parsed.emailColumn ?? parsed.columns[0]!.variable;
  if (!parsed.columns.some((c) => c.variable === emailColumn)) {
    throw new ApiError("validation_failed", `The file has no column "${emailColumn}".`, {
      fields: { emailColumn: [`Choose one of: ${parsed.columns.map((c) => c.variable).join(", ")}.`] },
    });
  }
  const campaign = await db.campaign.create({
    data: {
      userId,
      name:
        options.name?.trim().slice(0, 200) ||
        `Campaign ${new Date().toISOString().slice(0, 16).replace("T", " ")}`,
      columns: parsed.columns,
      emailColumn,
      status: "draft",
    },
  });
  const report = await writeRecipients(campaign.id, parsed.rows, emailColumn);
  return { campaign: await getCampaignOrThrow(userId, campaign.id), report };
}

export async function listCampaigns(userId: string): Promise<CampaignView[]> {
  const rows = await db.campaign.findMany({ where: { userId }, orderBy: { createdAt: "desc" }, take: 200 });
  return Promise.all(rows.map(async (row) => toView(row, await countsOf(row.id))));
}

export async function getCampaignOrThrow(userId: string, id: string): Promise<CampaignView> {
  const row = await findCampaignOrThrow(userId, id);
  return toView(row, await countsOf(row.id));
}

export async function findCampaignOrThrow(userId: string, id: string) {
  const row = await db.campaign.findFirst({ where: { id, userId } });
  if (!row) throw new ApiError("not_found", "Campaign not found.");
  return row;
}

/** Changes a draft: its name, sender, template (copied in), subject, body or address column. */
export async function updateCampaign(
  userId: string,
  id: string,
  patch: CampaignPatch,
): Promise<CampaignView> {
  const current = await findCampaignOrThrow(userId, id);
  if (current.status !== "draft") {
    throw new ApiError("conflict", "A campaign can be changed only before it starts.");
  }
  const data: Prisma.CampaignUpdateInput = {};
  if (patch.name !== undefined) data.name = patch.name;
  if (patch.senderId !== undefined) {
    await getSenderOrThrow(userId, patch.senderId);
    data.sender = { connect: { id: patch.senderId } };
  }
  let content = { subject: patch.subject ?? current.subject, html: patch.html ?? current.html };
  if (patch.templateId !== undefined) {
    const template = await getTemplateOrThrow(userId, patch.templateId);
    content = { subject: patch.subject ?? template.subject, html: patch.html ?? template.html };
  }
  if (patch.subject !== undefined || patch.html !== undefined || patch.templateId !== undefined) {
    Object.assign(data, checkedTemplate(content));
  }
  if (patch.aiOpeningInstruction !== undefined) data.aiOpeningInstruction = patch.aiOpeningInstruction;
  if (patch.aiOpeningEnabled !== undefined) data.aiOpeningEnabled = patch.aiOpeningEnabled;
  if (
    (patch.aiOpeningEnabled ?? current.aiOpeningEnabled) &&
    !(patch.aiOpeningInstruction ?? current.aiOpeningInstruction)
  ) {
    throw new ApiError("validation_failed", "Say what the AI opening line should do.", {
      fields: { aiOpeningInstruction: ["Required when the AI opening line is on."] },
    });
  }
  if (patch.emailColumn !== undefined && patch.emailColumn !== current.emailColumn) {
    const columns = current.columns as CsvColumn[];
    if (!columns.some((c) => c.variable === patch.emailColumn)) {
      throw new ApiError("validation_failed", `The file has no column "${patch.emailColumn}".`, {
        fields: { emailColumn: [`Choose one of: ${columns.map((c) => c.variable).join(", ")}.`] },
      });
    }
    data.emailColumn = patch.emailColumn;
    const rows = await db.campaignRecipient.findMany({
      where: { campaignId: id },
      orderBy: { position: "asc" },
      select: { position: true, values: true },
    });
    await db.campaignRecipient.deleteMany({ where: { campaignId: id } });
    await writeRecipients(
      id,
      rows.map((r) => ({ position: r.position, values: r.values as Record<string, string> })),
      patch.emailColumn,
    );
  }
  await db.campaign.update({ where: { id }, data });
  return getCampaignOrThrow(userId, id);
}

export async function deleteCampaign(userId: string, id: string): Promise<void> {
  const campaign = await findCampaignOrThrow(userId, id);
  if (campaign.status === "running") {
    throw new ApiError("conflict", "Pause or cancel the campaign before deleting it.");
  }
  await db.campaign.deleteMany({ where: { id, userId } });
}

/** The import report of a stored campaign, as its ledger says. */
export async function importReportOf(campaignId: string): Promise<ImportReport> {
  const [rows, valid, skipped] = await Promise.all([
    db.campaignRecipient.count({ where: { campaignId } }),
    db.campaignRecipient.count({ where: { campaignId, status: { not: "skipped" } } }),
    db.campaignRecipient.findMany({
      where: { campaignId, status: "skipped" },
      orderBy: { position: "asc" },
      take: LISTED_PROBLEMS * 2,
      select: { position: true, email: true, reason: true },
    }),
  ]);
  const problem = (r: (typeof skipped)[number]) => ({
    position: r.position,
    value: r.email,
    reason: r.reason ?? "",
  });
  return {
    rows,
    valid,
    invalid: skipped.filter((r) => !r.reason?.startsWith("The same address")).map(problem),
    duplicates: skipped.filter((r) => r.reason?.startsWith("The same address")).map(problem),
  };
}

export async function countsOf(campaignId: string): Promise<CampaignCounts> {
  const [groups, unsubscribed] = await Promise.all([
    db.campaignRecipient.groupBy({ by: ["status"], where: { campaignId }, _count: { _all: true } }),
    db.campaignRecipient.count({ where: { campaignId, unsubscribedAt: { not: null } } }),
  ]);
  const n = (status: string) => groups.find((g) => g.status === status)?._count._all ?? 0;
  const total = groups.reduce((sum, g) => sum + g._count._all, 0);
  return {
    total,
    waiting: n("pending") + n("queued"),
    sent: n("sent"),
    failed: n("failed"),
    cancelled: n("cancelled"),
    skipped: n("skipped"),
    unsubscribed,
  };
}

async function writeRecipients(
  campaignId: string,
  rows: CsvRow[],
  emailColumn: string,
): Promise<ImportReport> {
  const { valid, invalid, duplicates } = checkAddresses(rows, emailColumn);
  const reasons = new Map<number, string>();
  for (const p of [...invalid, ...duplicates]) reasons.set(p.position, p.reason);
  const emails = new Map(valid.map((r) => [r.position, r.email]));
  const data = rows.map((row) => {
    const id = newTimeOrderedId();
    const email = emails.get(row.position);
    return {
      id,
      campaignId,
      position: row.position,
      email: email ?? (row.values[emailColumn] ?? "").slice(0, 320),
      values: row.values,
      status: email ? "pending" : "skipped",
      reason: email ? null : (reasons.get(row.position) ?? null),
      // Made final from the sender's domain when the campaign starts (lib/campaigns/control.ts).
      messageIdHeader: `<cm.${id}@draft>`,
    };
  });
  for (let i = 0; i < data.length; i += WRITE_CHUNK) {
    await db.campaignRecipient.createMany({ data: data.slice(i, i + WRITE_CHUNK) });
  }
  return {
    rows: rows.length,
    valid: valid.length,
    invalid: invalid.slice(0, LISTED_PROBLEMS),
    duplicates: duplicates.slice(0, LISTED_PROBLEMS),
  };
}

const WRITE_CHUNK = 1000;

function toView(row: Awaited<ReturnType<typeof findCampaignOrThrow>>, counts: CampaignCounts): CampaignView {
  return {
    id: row.id,
    name: row.name,
    status: row.status as CampaignStatus,
    senderId: row.senderId,
    subject: row.subject,
    html: row.html,
    columns: row.columns as CsvColumn[],
    emailColumn: row.emailColumn,
    startAt: row.startAt?.toISOString() ?? null,
    startedAt: row.startedAt?.toISOString() ?? null,
    finishedAt: row.finishedAt?.toISOString() ?? null,
    pausedReason: row.pausedReason,
    aiOpeningEnabled: row.aiOpeningEnabled,
    aiOpeningInstruction: row.aiOpeningInstruction,
    createdAt: row.createdAt.toISOString(),
    counts,
  };
}
