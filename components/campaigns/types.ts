// The shapes the campaign pages read from /api/campaigns, /api/templates and /api/suppressions.
export type CampaignCounts = {
  total: number;
  waiting: number;
  sent: number;
  failed: number;
  cancelled: number;
  skipped: number;
  unsubscribed: number;
};

export type Campaign = {
  id: string;
  name: string;
  status: "draft" | "running" | "paused" | "cancelled" | "done";
  senderId: string | null;
  subject: string;
  html: string;
  columns: { header: string; variable: string }[];
  emailColumn: string;
  startAt: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  /** Why the campaign paused itself (the AI allowance ran out). */
  pausedReason: string | null;
  aiOpeningEnabled: boolean;
  aiOpeningInstruction: string;
  createdAt: string;
  counts: CampaignCounts;
};

export type Problem = { position: number; value: string; reason: string };
export type ImportReport = { rows: number; valid: number; invalid: Problem[]; duplicates: Problem[] };

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
