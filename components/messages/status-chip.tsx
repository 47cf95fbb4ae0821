import ErrorOutlineOutlined from "@mui/icons-material/ErrorOutlineOutlined";
import ScienceOutlined from "@mui/icons-material/ScienceOutlined";
import WarningAmber from "@mui/icons-material/WarningAmber";
import Chip from "@mui/material/Chip";
import type { ReactElement } from "react";
import type { MessageSummary } from "@/lib/messages/message-view";

type Look = {
  label: string;
  color: "default" | "info" | "success" | "error" | "warning" | "secondary";
  /** Outcomes that need the user's attention carry an icon, so they do not rely on colour alone. */
  icon?: ReactElement;
};

const look: Record<string, Look> = {
  scheduled: { label: "Scheduled", color: "info" },
  queued: { label: "Queued", color: "default" },
  retrying: { label: "Retrying", color: "info" },
  stuck: { label: "Not sent yet", color: "warning", icon: <WarningAmber /> },
  sending: { label: "Sending", color: "info" },
  sent: { label: "Sent", color: "success" },
  "sent-sandbox": { label: "Test mailbox", color: "secondary", icon: <ScienceOutlined /> },
  partial: { label: "Partly delivered", color: "warning", icon: <WarningAmber /> },
  failed: { label: "Failed", color: "error", icon: <ErrorOutlineOutlined /> },
  cancelled: { label: "Cancelled", color: "default" },
};

type StatusFields = Pick<MessageSummary, "status" | "sendAt" | "holdUntil" | "attempts" | "lastError"> & {
  recipients?: Pick<MessageSummary["recipients"][number], "state">[];
};

/**
 * "scheduled" for a queued message that waits for the time the user chose; "stuck" for one whose last attempt
 * (or its sender's sign-in) failed and that still waits, with no recipient reached yet; "retrying" for one an
 * attempt already tried that some recipients have (others deferred or unknown); otherwise its status.
 */
export function displayStatus(m: StatusFields): string {
  if (m.status === "queued" && m.sendAt && m.holdUntil) return "scheduled";
  const reachedSome = m.recipients?.some((r) => r.state === "accepted") ?? false;
  if (m.status === "queued" && m.lastError && !reachedSome) return "stuck";
  if (m.status === "queued" && m.attempts > 0) return "retrying";
  return m.status;
}

/** Messages that need the user: lists mark their rows (components/ui/link-list.tsx). */
export function attentionOf(m: StatusFields): "error" | "warning" | undefined {
  const status = displayStatus(m);
  if (status === "failed") return "error";
  if (status === "partial" || status === "stuck") return "warning";
  return undefined;
}

export function StatusChip({ message }: { message: StatusFields & { viaSandbox?: boolean } }) {
  const status = displayStatus(message);
  const key = status === "sent" && message.viaSandbox ? "sent-sandbox" : status;
  const { label, color, icon } = look[key] ?? { label: status, color: "default" as const };
  return (
    <Chip
      size="small"
      label={label}
      color={color}
      icon={icon}
      data-status={status}
      data-sandbox={message.viaSandbox ? "" : undefined}
      sx={{ flexShrink: 0 }}
    />
  );
}
