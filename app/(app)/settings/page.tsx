import Stack from "@mui/material/Stack";
import Typography from "@mui/material/Typography";
import type { Metadata } from "next";
import { AccountSecurityPanel } from "@/components/settings/account-security-panel";
import { AiUsagePanel } from "@/components/settings/ai-usage-panel";
import { NotificationsPanel } from "@/components/settings/notifications-panel";
import { AuditLogPanel } from "@/components/settings/audit-log-panel";
import { InvitationsPanel } from "@/components/settings/invitations-panel";
import { SendersPanel } from "@/components/settings/senders-panel";
import { SendingPanel } from "@/components/settings/sending-panel";
import { requirePageUser } from "@/lib/auth/session";
import { env } from "@/lib/env";
import { listSenders } from "@/lib/senders/senders";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  const user = await requirePageUser();
  return (
    <Stack spacing={3}>
      <Typography variant="h5" component="h1">
        Settings
      </Typography>
      <SendersPanel initial={await listSenders(user.id)} />
      <SendingPanel undoSendSeconds={user.undoSendSeconds ?? env.UNDO_SEND_SECONDS} />
      <NotificationsPanel />
      <AiUsagePanel />
      <AccountSecurityPanel />
      {user.isAdmin && <InvitationsPanel mode={env.SIGNUP_MODE} />}
      <AuditLogPanel />
    </Stack>
  );
}
