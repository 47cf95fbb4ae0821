import Box from "@mui/material/Box";
import Typography from "@mui/material/Typography";
import type { Metadata } from "next";
import { LinkButton } from "@/components/ui/link-button";

export const metadata: Metadata = { title: "Offline" };

// Precached by the service worker: shown for a screen that was never opened while online.
export default function OfflinePage() {
  return (
    <Box
      component="main"
      sx={{ minHeight: "80dvh", display: "grid", placeItems: "center", textAlign: "center", p: 3 }}
    >
      <div>
        <Typography variant="h5" component="h1" gutterBottom>
          You are offline
        </Typography>
        <Typography color="text.secondary" sx={{ maxWidth: 420 }}>
          This screen has not been saved on this device yet. You can still write messages: they wait in the
          Outbox and go out by themselves when the connection returns.
        </Typography>
        <LinkButton href="/compose" variant="contained" sx={{ mt: 2 }}>
          Write a message
        </LinkButton>
      </div>
    </Box>
  );
}
