import Stack from "@mui/material/Stack";
import type { Metadata } from "next";
import { AccountSecurityPanel } from "@/components/settings/account-security-panel";
import { AuditLogPanel } from "@/components/settings/audit-log-panel";

export const metadata: Metadata = { title: "Security · Settings" };

export default function SecuritySettingsPage() {
  return (
    <Stack spacing={3}>
      <AccountSecurityPanel />
      <AuditLogPanel />
    </Stack>
  );
}
