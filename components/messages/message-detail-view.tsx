"use client";
import ArrowBack from "@mui/icons-material/ArrowBack";
import Alert from "@mui/material/Alert";
import Box from "@mui/material/Box";
import Button from "@mui/material/Button";
import Paper from "@mui/material/Paper";
import Stack from "@mui/material/Stack";
import Typography from "@mui/material/Typography";
import NextLink from "next/link";
import { useEffect, useState } from "react";
import { RecipientTable } from "@/components/messages/recipient-table";
import { StatusChip } from "@/components/messages/status-chip";
import { WaitingControls } from "@/components/messages/waiting-controls";
import { SafeHtmlFrame } from "@/components/ui/safe-html-frame";
import { formatDateTime } from "@/components/ui/format";
import { formatRecipient } from "@/lib/compose/recipients";
import { fetchJson } from "@/lib/api/client";
import type { MessageDetail } from "@/lib/messages/message-view";

const eventLabels: Record<string, string> = {
  queued: "Queued",
  sending: "Sending",
  sent: "Delivered to the mail server",
  partial: "Partly delivered",
  retry: "Temporary failure — will retry",
  interrupted: "Interrupted — will retry",
  failed: "Failed",
  cancelled: "Cancelled",
  rescheduled: "Sent now",
};

export function MessageDetailView({ initial }: { initial: MessageDetail }) {
  const [message, setMessage] = useState(initial);
  // A scheduled message may wait for days: it is not polled for; the undo window is a few seconds.
  const inProgress = (message.status === "queued" && !message.sendAt) || message.status === "sending";
  // Recipients a later attempt will try again.
  const waiting = message.recipients.filter((r) => r.state === "deferred" || r.state === "unknown");

  useEffect(() => {
    if (!inProgress) return;
    const timer = setInterval(async () => {
      try {
        setMessage((await fetchJson<{ message: MessageDetail }>(`/api/messages/${initial.id}`)).message);
      } catch {
        // Keep showing what we have; the next tick tries again.
      }
    }, 1500);
    return () => clearInterval(timer);
  }, [inProgress, initial.id]);

  return (
    <Stack spacing={2} sx={{ maxWidth: 900 }}>
      <Box>
        <Button component={NextLink} href="/sent" startIcon={<ArrowBack />} size="small">
          Sent
        </Button>
      </Box>
      <Stack direction="row" spacing={1.5} useFlexGap sx={{ alignItems: "center", flexWrap: "wrap" }}>
        <Typography variant="h5" component="h1" sx={{ wordBreak: "break-word" }}>
          {message.subject || "(no subject)"}
        </Typography>
        <StatusChip message={message} />
      </Stack>
      <Paper variant="outlined" sx={{ p: 2 }}>
        <Typography variant="body2">
          <strong>From:</strong>{" "}
          {message.from.name ? `${message.from.name} <${message.from.address}>` : message.from.address}
        </Typography>
        <Typography variant="body2">
          <strong>To:</strong> {message.to.map(formatRecipient).join(", ") || "—"}
        </Typography>
        {message.cc.length > 0 && (
          <Typography variant="body2">
            <strong>Cc:</strong> {message.cc.map(formatRecipient).join(", ")}
          </Typography>
        )}
        {message.bcc.length > 0 && (
          <Typography variant="body2">
            <strong>Bcc:</strong> {message.bcc.map(formatRecipient).join(", ")}
          </Typography>
        )}
        <Typography variant="body2" color="text.secondary">
          {formatDateTime(message.createdAt)} · Message-ID {message.messageId}
        </Typography>
      </Paper>

      <WaitingControls message={message} onChange={setMessage} />

      {message.status === "failed" && message.lastError && (
        <Alert severity="error">{message.lastError}</Alert>
      )}
      {message.status === "queued" && waiting.length > 0 && (
        <Alert severity="info">
          Will retry for {waiting.map((r) => r.address).join(", ")}: the server deferred{" "}
          {waiting.length === 1 ? "it" : "them"} or its final reply did not come. Delivered so far to{" "}
          {message.recipients.filter((r) => r.state === "accepted").length} of {message.recipients.length}.
        </Alert>
      )}
      {message.status === "queued" && waiting.length === 0 && message.lastError && (
        <Alert severity="warning">Last attempt failed: {message.lastError}</Alert>
      )}
      {message.status === "partial" && (
        <Alert severity="warning">
          Delivered to {message.recipients.filter((r) => r.state === "accepted").length} of{" "}
          {message.recipients.length} recipients. Not delivered to{" "}
          {message.recipients
            .filter((r) => r.state === "refused")
            .map((r) => r.address)
            .join(", ")}
          .
        </Alert>
      )}

      <RecipientTable message={message} />

      <Paper variant="outlined" sx={{ p: 2 }}>
        <Typography variant="subtitle1" component="h2" gutterBottom>
          Status
        </Typography>
        <Box component="ol" sx={{ m: 0, pl: 2.5 }} aria-label="Status timeline">
          {message.events.map((e, i) => (
            <li key={i}>
              <Typography variant="body2">
                <strong>{eventLabels[e.type] ?? e.type}</strong> · {formatDateTime(e.at)}
              </Typography>
              {e.detail && (
                <Typography variant="body2" color="text.secondary" sx={{ wordBreak: "break-word" }}>
                  {e.detail}
                </Typography>
              )}
            </li>
          ))}
        </Box>
        {message.smtpResponse && (
          <Typography
            variant="body2"
            sx={{ mt: 1, fontFamily: "ui-monospace, monospace", wordBreak: "break-word" }}
            data-testid="smtp-response"
          >
            Server reply: {message.smtpResponse}
          </Typography>
        )}
      </Paper>

      <SafeHtmlFrame html={message.html || "<p><em>(empty message)</em></p>"} title="Message body" />
    </Stack>
  );
}
