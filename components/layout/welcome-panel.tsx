"use client";
import MailOutlined from "@mui/icons-material/MailOutlined";
import ScienceOutlined from "@mui/icons-material/ScienceOutlined";
import Box from "@mui/material/Box";
import Button from "@mui/material/Button";
import Paper from "@mui/material/Paper";
import Typography from "@mui/material/Typography";
import NextLink from "next/link";
import { WELCOME_DONE_COOKIE } from "@/components/layout/welcome-cookie";

/**
 * The first run: what SecureVault is, and the two ways to start — connect one's own mail account, or try the
 * built-in test mailbox, which is what Compose offers until then.
 */
export function WelcomePanel({ onDone }: { onDone: () => void }) {
  function choose() {
    document.cookie = `${WELCOME_DONE_COOKIE}=1; path=/; max-age=31536000; samesite=lax`;
    onDone();
  }

  return (
    <Paper
      component="section"
      variant="outlined"
      aria-labelledby="welcome-title"
      data-testid="welcome"
      sx={{ p: { xs: 2, sm: 3 }, mb: 2, maxWidth: 900 }}
    >
      <Typography id="welcome-title" variant="h6" component="h2">
        Welcome to SecureVault
      </Typography>
      <Typography variant="body2" sx={{ mt: 0.5 }}>
        Write email with AI help and send it through your own mail account — even offline: what you send
        without a connection waits on this device and goes out when it returns.
      </Typography>
      <Box sx={{ display: "flex", flexWrap: "wrap", gap: 1.5, mt: 2 }}>
        <Button
          variant="contained"
          startIcon={<MailOutlined />}
          component={NextLink}
          href="/settings/senders?add=1"
          onClick={choose}
          sx={{ minHeight: 44 }}
        >
          Connect your own account
        </Button>
        <Button variant="outlined" startIcon={<ScienceOutlined />} onClick={choose} sx={{ minHeight: 44 }}>
          Try the built-in test mailbox
        </Button>
      </Box>
      <Typography variant="body2" color="text.secondary" sx={{ mt: 1.5 }}>
        Gmail, Outlook, iCloud, Fastmail or any SMTP server. The test mailbox keeps what you send in Mailbox
        on this server; nothing leaves this machine.
      </Typography>
    </Paper>
  );
}
