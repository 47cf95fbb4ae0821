import Chip from "@mui/material/Chip";
import type { MessageSummary } from "@/lib/messages/message-view";

const look: Record<string, { label: string; color: "default" | "info" | "success" | "error" | "warning" }> = {
  scheduled: { label: "Scheduled", color: "info" },
  queued: { label: "Queued", color: "default" },
  sending: { label: "Sending", color: "info" },
  sent: { label: "Sent", color: "success" },
  failed: { label: "Failed", color: "error" },
  cancelled: { label: "Cancelled", color: "warning" },
};

/** "scheduled" for a queued message that waits for the time the user chose; otherwise its status. */
export function displayStatus(m: Pick<MessageSummary, "status" | "sendAt" | "holdUntil">): string {
  return m.status === "queued" && m.sendAt && m.holdUntil ? "scheduled" : m.status;
}

export function StatusChip({
  message,
}: {
  message: Pick<MessageSummary, "status" | "sendAt" | "holdUntil">;
}) {
  const status = displayStatus(message);
  const { label, color } = look[status] ?? { label: status, color: "default" as const };
  return <Chip size="small" label={label} color={color} data-status={status} />;
}
