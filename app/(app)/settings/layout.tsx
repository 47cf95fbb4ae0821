import Stack from "@mui/material/Stack";
import Typography from "@mui/material/Typography";
import type { ReactNode } from "react";
import { SettingsNav } from "@/components/settings/settings-nav";
import { requirePageUser } from "@/lib/auth/session";

// Settings in sections, each at its own address (/settings/senders, /settings/security …), so a link or the
// back button lands on the part the user meant.
export default async function SettingsLayout({ children }: { children: ReactNode }) {
  const user = await requirePageUser();
  return (
    <Stack spacing={2.5} sx={{ maxWidth: 900 }}>
      <Typography variant="h5" component="h1">
        Settings
      </Typography>
      <SettingsNav isAdmin={user.isAdmin} />
      {children}
    </Stack>
  );
}
