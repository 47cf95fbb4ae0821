import ErrorOutlineOutlined from "@mui/icons-material/ErrorOutlineOutlined";
import WarningAmber from "@mui/icons-material/WarningAmber";
import Chip from "@mui/material/Chip";
import type { ReactElement } from "react";
import type { MessageSummary } from "@/lib/messages/message-view";

type Look = {
  label: string;
  color: "default" | "info" | "success" | "error" | "warning";
  /** Outcomes that need the user's attention carry an icon, so they do not rely on colour alone. */
  icon?: ReactElement;
};

const look: Record<string, Look> = {
  scheduled: { label: "Scheduled", color: "info" },
  queued: { label: "Queued", color: "default" },
  retrying: { label: "Retrying", color: "info" },
  sending: { label: "Sending", color: "info" },
  sent: { label: "Sent", color: "success" },
  partial: { label: "Partly delivered", color: "warning", icon: <WarningAmber /> },
  failed: { label: "Failed", color: "error", icon: <ErrorOutlineOutlined /> },
  cancelled: { label: "Cancelled", color: "default" },
};

/**
 * "scheduled" for a queued message that waits for the time the user chose, "retrying" for one an attempt
 * already tried (some recipients deferred or unknown, or a temporary failure); otherwise its status.
 */
export function displayStatus(
  m: Pick<MessageSummary, "status" | "sendAt" | "holdUntil" | "attempts">,
): string {
  if (m.status === "queued" && m.sendAt && m.holdUntil) return "scheduled";
  if (m.status === "queued" && m.attempts > 0) return "retrying";
  return m.status;
}

export function StatusChip({
  message,
}: {
  message: Pick<MessageSummary, "status" | "sendAt" | "holdUntil" | "attempts">;
}) {
  const status = displayStatus(message);
  const { label, color, icon } = look[status] ?? { label: status, color: "default" as const };
  return <Chip size="small" label={label} color={color} icon={icon} data-status={status} />;
}
