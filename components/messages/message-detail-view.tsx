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
import { ReplyActions } from "@/components/messages/reply-actions";
import { StatusChip } from "@/components/messages/status-chip";
import { WaitingControls } from "@/components/messages/waiting-controls";
import { SafeHtmlFrame } from "@/components/ui/safe-html-frame";
import { isPreviewable } from "@/lib/attachments/previewable";
import { AttachmentList } from "@/components/messages/attachment-list";
import { LocalTime } from "@/components/ui/local-time";
import { formatRecipient } from "@/lib/compose/recipients";
import { fetchJson } from "@/lib/api/client";
import type { MessageDetail } from "@/lib/messages/message-view";
import type { ReplySource } from "@/lib/compose/reply";

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

/** What the timeline says of a message's delivery, which for the built-in test mailbox went nowhere. */
const SANDBOX_DELIVERED = "Delivered to the built-in test mailbox — nothing left this machine";

export function MessageDetailView({
  initial,
  replySource,
  senders,
}: {
  initial: MessageDetail;
  replySource: ReplySource;
  senders: { id: string; fromEmail: string }[];
}) {
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
      {message.viaSandbox && (
        <Alert severity="info" data-testid="sandbox-note">
          {message.status === "sent"
            ? `${SANDBOX_DELIVERED}. Open it in the Mailbox.`
            : "Sent from the built-in test mailbox: it goes to the Mailbox on this server, never to the recipients."}
        </Alert>
      )}
      <Paper variant="outlined" sx={{ p: 2, overflowWrap: "anywhere" }}>
        <Typography variant="body2">
          <strong>From:</strong>{" "}
          {message.from.name ? `${message.from.name} <${message.from.address}>` : message.from.address}
          {message.viaSandbox && " · Built-in test mailbox"}
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
          <LocalTime iso={message.createdAt} /> · Message-ID {message.messageId}
        </Typography>
        {message.inReplyTo && (
          <Typography variant="body2" color="text.secondary" data-testid="in-reply-to">
            In reply to {message.inReplyTo}
          </Typography>
        )}
      </Paper>
      <ReplyActions source={replySource} senders={senders} senderId={message.senderId} />

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
                <strong>
                  {e.type === "sent" && message.viaSandbox
                    ? SANDBOX_DELIVERED
                    : (eventLabels[e.type] ?? e.type)}
                </strong>{" "}
                · <LocalTime iso={e.at} />
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
      <AttachmentList
        items={(message.attachments ?? []).map((a) => ({
          key: a.id,
          filename: a.filename,
          contentType: a.contentType,
          size: a.size,
          href: `/api/attachments/${a.id}`,
          previewHref: isPreviewable(a.contentType) ? `/api/attachments/${a.id}?preview=1` : undefined,
        }))}
      />
    </Stack>
  );
}
