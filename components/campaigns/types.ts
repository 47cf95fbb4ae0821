// The shapes the campaign pages read from /api/campaigns, /api/templates and /api/suppressions.
// The API's own view types (type-only imports: nothing of the server modules reaches the browser).
import type { CampaignCounts, CampaignView, ImportReport } from "@/lib/campaigns/campaigns";
import type { CsvProblem } from "@/lib/campaigns/csv-import";

export type { CampaignCounts, ImportReport };
export type Campaign = CampaignView;
export type Problem = CsvProblem;

export type Template = { id: string; name: string; subject: string; html: string; variables: string[] };

export type Suppression = {
  id: string;
  email: string;
  reason: string;
  detail: string | null;
  createdAt: string;
};

export type RecipientResult = {
  position: number;
  email: string;
  status: string;
  reason: string | null;
  messageId: string;
  sentAt: string | null;
  unsubscribedAt: string | null;
};

export type DryRun = {
  willSend: number;
  skipped: number;
  suppressed: number;
  unknownVariables: string[];
  findings: { position: number; email: string; problem: string }[];
  rowsWithFindings: number;
  plan: { summary: string; finishAt: string; days: number } | null;
};

export const statusLabel: Record<Campaign["status"], string> = {
  draft: "Draft",
  running: "Sending",
  paused: "Paused",
  cancelled: "Cancelled",
  done: "Done",
};
