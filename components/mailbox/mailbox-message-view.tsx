import ArrowBack from "@mui/icons-material/ArrowBack";
import Box from "@mui/material/Box";
import Paper from "@mui/material/Paper";
import Stack from "@mui/material/Stack";
import Typography from "@mui/material/Typography";
import { LinkButton } from "@/components/ui/link-button";
import { SafeHtmlFrame } from "@/components/ui/safe-html-frame";
import { formatBytes, formatDateTime } from "@/components/ui/format";
import type { MailboxMessage } from "@/lib/sandbox/mailbox";

export function MailboxMessageView({ message }: { message: MailboxMessage }) {
  return (
    <Stack spacing={2} sx={{ maxWidth: 900 }}>
      <Box>
        <LinkButton href="/mailbox" startIcon={<ArrowBack />} size="small">
          Mailbox
        </LinkButton>
      </Box>
      <Typography variant="h5" component="h1" sx={{ wordBreak: "break-word" }}>
        {message.subject || "(no subject)"}
      </Typography>
      <Paper variant="outlined" sx={{ p: 2 }}>
        <Typography variant="body2">
          <strong>From:</strong> {message.from}
        </Typography>
        <Typography variant="body2">
          <strong>To:</strong> {message.to.join(", ")}
        </Typography>
        {message.cc && (
          <Typography variant="body2">
            <strong>Cc:</strong> {message.cc}
          </Typography>
        )}
        <Typography variant="body2" color="text.secondary">
          {message.date ? formatDateTime(message.date) : ""} · {formatBytes(message.size)}
          {message.messageId ? ` · ${message.messageId}` : ""}
        </Typography>
      </Paper>
      {message.html ? (
        <SafeHtmlFrame html={message.html} title="Captured message" />
      ) : (
        <Paper
          variant="outlined"
          sx={{ p: 2, whiteSpace: "pre-wrap", fontFamily: "ui-monospace, monospace" }}
        >
          {message.text || "(empty message)"}
        </Paper>
      )}
      {message.html && message.text && (
        <details>
          <summary>Plain-text version</summary>
          <Paper
            variant="outlined"
            sx={{ p: 2, mt: 1, whiteSpace: "pre-wrap", fontFamily: "ui-monospace, monospace" }}
            data-testid="plain-text"
          >
            {message.text}
          </Paper>
        </details>
      )}
      {message.attachments.length > 0 && (
        <Paper variant="outlined" sx={{ p: 2 }}>
          <Typography variant="subtitle2">Attachments</Typography>
          {message.attachments.map((a, i) => (
            <Typography key={i} variant="body2">
              {a.filename} ({a.contentType}, {formatBytes(a.size)})
            </Typography>
          ))}
        </Paper>
      )}
    </Stack>
  );
}
