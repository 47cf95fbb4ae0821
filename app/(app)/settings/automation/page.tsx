import Stack from "@mui/material/Stack";
import type { Metadata } from "next";
import { ApiKeysPanel } from "@/components/settings/api-keys-panel";
import { WebhooksPanel } from "@/components/settings/webhooks-panel";

export const metadata: Metadata = { title: "API & webhooks · Settings" };

export default function AutomationSettingsPage() {
  return (
    <Stack spacing={3}>
      <ApiKeysPanel />
      <WebhooksPanel />
    </Stack>
  );
}
