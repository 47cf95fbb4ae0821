"use client";
import SendOutlined from "@mui/icons-material/SendOutlined";
import Alert from "@mui/material/Alert";
import Box from "@mui/material/Box";
import Button from "@mui/material/Button";
import MenuItem from "@mui/material/MenuItem";
import Skeleton from "@mui/material/Skeleton";
import Snackbar from "@mui/material/Snackbar";
import Stack from "@mui/material/Stack";
import TextField from "@mui/material/TextField";
import Typography from "@mui/material/Typography";
import dynamic from "next/dynamic";
import NextLink from "next/link";
import { useCallback, useRef, useState, type FormEvent, type KeyboardEvent } from "react";
import { RecipientField } from "@/components/compose/recipient-field";
import { ApiClientError, fetchJson } from "@/lib/api/client";
import type { RecipientChip } from "@/lib/compose/recipients";
import type { MessageSummary } from "@/lib/messages/message-view";

const RichTextEditor = dynamic(() => import("@/components/compose/rich-text-editor"), {
  ssr: false,
  loading: () => <Skeleton variant="rounded" height={360} aria-label="Loading editor" />,
});

export type ComposeSender = { id: string; label: string; fromEmail: string; fromName: string | null };

const isMac = () => typeof navigator !== "undefined" && /Mac|iPhone|iPad/.test(navigator.platform);

export function ComposeForm({ senders }: { senders: ComposeSender[] }) {
  const [senderId, setSenderId] = useState(senders[0]?.id ?? "");
  const [to, setTo] = useState<RecipientChip[]>([]);
  const [cc, setCc] = useState<RecipientChip[]>([]);
  const [bcc, setBcc] = useState<RecipientChip[]>([]);
  const [showCopies, setShowCopies] = useState(false);
  const [subject, setSubject] = useState("");
  const body = useRef({ html: "", empty: true });
  const [resetKey, setResetKey] = useState(0);
  // One key per message being written: a retried Send after a network error can never send twice.
  const idempotencyKey = useRef<string>("");
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<Record<string, string[]>>({});
  const [sent, setSent] = useState<MessageSummary | null>(null);

  const onBodyChange = useCallback((html: string, empty: boolean) => {
    body.current = { html, empty };
  }, []);

  async function send() {
    if (pending) return;
    setError(null);
    setFields({});
    const all = [...to, ...cc, ...bcc];
    if (all.length === 0) {
      setFields({ to: ["Add at least one recipient."] });
      return;
    }
    if (all.some((r) => !r.valid)) {
      setError("Fix the highlighted addresses before sending.");
      return;
    }
    idempotencyKey.current ||= crypto.randomUUID();
    setPending(true);
    try {
      const strip = (list: RecipientChip[]) =>
        list.map(({ address, name }) => (name ? { address, name } : { address }));
      const { message } = await fetchJson<{ message: MessageSummary }>("/api/messages", {
        method: "POST",
        json: {
          idempotencyKey: idempotencyKey.current,
          senderId,
          to: strip(to),
          cc: strip(cc),
          bcc: strip(bcc),
          subject,
          html: body.current.empty ? "" : body.current.html,
        },
      });
      setSent(message);
      setTo([]);
      setCc([]);
      setBcc([]);
      setSubject("");
      body.current = { html: "", empty: true };
      setResetKey((k) => k + 1);
      idempotencyKey.current = "";
    } catch (e) {
      if (e instanceof ApiClientError) {
        setError(e.message);
        setFields(e.fields);
      } else {
        setError("Sending failed. Try again.");
      }
    } finally {
      setPending(false);
    }
  }

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    void send();
  }

  function onKeyDown(event: KeyboardEvent) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void send();
    }
  }

  if (senders.length === 0) {
    return <Alert severity="info">Add a sender in Settings before writing your first message.</Alert>;
  }

  return (
    <Box component="form" onSubmit={onSubmit} onKeyDown={onKeyDown} noValidate aria-label="Compose email">
      <Stack spacing={2} sx={{ maxWidth: 900 }}>
        <Typography variant="h5" component="h1">
          New message
        </Typography>
        {error && (
          <Alert severity="error" role="alert">
            {error}
          </Alert>
        )}
        <TextField
          select
          size="small"
          label="From"
          value={senderId}
          onChange={(e) => setSenderId(e.target.value)}
          error={!!fields.senderId}
          helperText={fields.senderId?.[0]}
        >
          {senders.map((s) => (
            <MenuItem key={s.id} value={s.id}>
              {s.fromName ? `${s.fromName} <${s.fromEmail}>` : s.fromEmail} — {s.label}
            </MenuItem>
          ))}
        </TextField>
        <Stack direction="row" spacing={1} sx={{ alignItems: "flex-start" }}>
          <Box sx={{ flexGrow: 1 }}>
            <RecipientField label="To" value={to} onChange={setTo} error={fields.to?.[0]} autoFocus />
          </Box>
          {!showCopies && (
            <Button size="small" onClick={() => setShowCopies(true)} sx={{ mt: 0.5 }}>
              Cc/Bcc
            </Button>
          )}
        </Stack>
        {showCopies && (
          <>
            <RecipientField label="Cc" value={cc} onChange={setCc} error={fields.cc?.[0]} />
            <RecipientField label="Bcc" value={bcc} onChange={setBcc} error={fields.bcc?.[0]} />
          </>
        )}
        <TextField
          size="small"
          label="Subject"
          value={subject}
          onChange={(e) => setSubject(e.target.value.replace(/[\r\n]+/g, " "))}
          error={!!fields.subject}
          helperText={fields.subject?.[0]}
          slotProps={{ htmlInput: { maxLength: 998 } }}
        />
        <RichTextEditor onChange={onBodyChange} resetKey={resetKey} />
        {fields.html && <Alert severity="error">{fields.html[0]}</Alert>}
        <Stack direction="row" spacing={2} sx={{ alignItems: "center" }}>
          <Button
            type="submit"
            variant="contained"
            size="large"
            endIcon={<SendOutlined />}
            disabled={pending}
          >
            {pending ? "Sending…" : "Send"}
          </Button>
          <Typography
            variant="caption"
            color="text.secondary"
            sx={{ display: { xs: "none", sm: "block" } }}
            suppressHydrationWarning
          >
            {isMac() ? "⌘" : "Ctrl"}+Enter to send
          </Typography>
        </Stack>
      </Stack>
      <Snackbar
        open={!!sent}
        autoHideDuration={8000}
        onClose={() => setSent(null)}
        message={
          sent
            ? `Queued — sending to ${[...sent.to, ...sent.cc, ...sent.bcc][0]?.address ?? "recipients"} now`
            : ""
        }
        action={
          sent && (
            <Button color="inherit" size="small" component={NextLink} href={`/messages/${sent.id}`}>
              View
            </Button>
          )
        }
      />
    </Box>
  );
}
