import { isPreviewable } from "@/lib/attachments/previewable";
import { AttachmentList } from "@/components/messages/attachment-list";
import ArrowBack from "@mui/icons-material/ArrowBack";
import Box from "@mui/material/Box";
import Paper from "@mui/material/Paper";
import Stack from "@mui/material/Stack";
import Typography from "@mui/material/Typography";
import { ReplyActions } from "@/components/messages/reply-actions";
import { LinkButton } from "@/components/ui/link-button";
import { SafeHtmlFrame } from "@/components/ui/safe-html-frame";
import { formatBytes } from "@/components/ui/format";
import { LocalTime } from "@/components/ui/local-time";
import type { MailboxMessage } from "@/lib/sandbox/mailbox";

export function MailboxMessageView({
  message,
  senders,
}: {
  message: MailboxMessage;
  senders: { id: string; fromEmail: string }[];
}) {
  const { inReplyTo, references } = message.replySource;
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
      <Paper variant="outlined" sx={{ p: 2, overflowWrap: "anywhere" }}>
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
          {message.date && <LocalTime iso={message.date} />} · {formatBytes(message.size)}
          {message.messageId && <span data-testid="message-id"> · {message.messageId}</span>}
        </Typography>
        {(inReplyTo || references) && (
          <Box component="details" sx={{ mt: 1 }}>
            <summary>Thread headers</summary>
            <Typography variant="body2" data-testid="in-reply-to">
              In-Reply-To: {inReplyTo ?? "—"}
            </Typography>
            <Typography variant="body2" data-testid="references">
              References: {references ?? "—"}
            </Typography>
          </Box>
        )}
      </Paper>
      <ReplyActions source={message.replySource} senders={senders} />
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
      <AttachmentList
        items={message.attachments.map((a, i) => ({
          key: String(i),
          filename: a.filename,
          contentType: a.contentType,
          size: a.size,
          href: `/api/mailbox/${message.id}/attachments/${i}`,
          previewHref: isPreviewable(a.contentType)
            ? `/api/mailbox/${message.id}/attachments/${i}?preview=1`
            : undefined,
        }))}
      />
    </Stack>
  );
}
