import Chip from "@mui/material/Chip";

const look: Record<string, { label: string; color: "default" | "info" | "success" | "error" | "warning" }> = {
  queued: { label: "Queued", color: "default" },
  sending: { label: "Sending", color: "info" },
  sent: { label: "Sent", color: "success" },
  failed: { label: "Failed", color: "error" },
};

export function StatusChip({ status }: { status: string }) {
  const { label, color } = look[status] ?? { label: status, color: "default" as const };
  return <Chip size="small" label={label} color={color} data-status={status} />;
}
