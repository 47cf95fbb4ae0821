"use client";
import Alert from "@mui/material/Alert";
import Box from "@mui/material/Box";
import Button from "@mui/material/Button";
import Stack from "@mui/material/Stack";
import TextField from "@mui/material/TextField";
import Typography from "@mui/material/Typography";
import { useState } from "react";
import { ApiClientError, fetchJson } from "@/lib/api/client";
import type { SenderView } from "@/lib/senders/senders";

// A sender's DKIM signing in Settings → Senders: the DNS record to publish when it signs, or a small form to
// start (a selector, and a private key to import or none to have one made). The key itself never comes back.

export function SenderDkim({
  sender,
  onSaved,
}: {
  sender: SenderView;
  onSaved: (saved: SenderView) => void;
}) {
  const [open, setOpen] = useState(false);
  const [selector, setSelector] = useState("sv1");
  const [privateKey, setPrivateKey] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ message: string; fields: Record<string, string[]> } | null>(null);
  const [copied, setCopied] = useState(false);

  async function call(method: "PUT" | "DELETE") {
    setBusy(true);
    setError(null);
    try {
      const { sender: saved } = await fetchJson<{ sender: SenderView }>(`/api/senders/${sender.id}/dkim`, {
        method,
        ...(method === "PUT"
          ? { json: { selector, ...(privateKey.trim() ? { privateKey: privateKey.trim() } : {}) } }
          : {}),
      });
      setOpen(false);
      setPrivateKey("");
      onSaved(saved);
    } catch (e) {
      setError(
        e instanceof ApiClientError
          ? { message: e.message, fields: e.fields }
          : { message: "Could not reach the server. Try again.", fields: {} },
      );
    } finally {
      setBusy(false);
    }
  }

  const dkim = sender.dkim;
  if (dkim) {
    return (
      <Box sx={{ mt: 1 }} data-testid="dkim">
        <Typography variant="body2">
          DKIM: signed for <strong>{dkim.domain}</strong> with selector <strong>{dkim.selector}</strong>.
          Publish this TXT record at your DNS provider:
        </Typography>
        <Box
          component="dl"
          sx={{ m: 0, mt: 0.5, fontFamily: "monospace", fontSize: 13, overflowWrap: "anywhere" }}
        >
          <Box component="dt" sx={{ fontWeight: 600 }}>
            Name
          </Box>
          <Box component="dd" sx={{ m: 0 }} data-testid="dkim-record-name">
            {dkim.dnsRecord.name}
          </Box>
          <Box component="dt" sx={{ fontWeight: 600, mt: 0.5 }}>
            TXT value
          </Box>
          <Box component="dd" sx={{ m: 0 }} data-testid="dkim-record-value">
            {dkim.dnsRecord.value}
          </Box>
        </Box>
        <Stack direction="row" spacing={1} sx={{ mt: 0.5 }}>
          <Button
            size="small"
            onClick={async () => {
              await navigator.clipboard?.writeText(dkim.dnsRecord.value);
              setCopied(true);
            }}
          >
            {copied ? "Copied" : "Copy value"}
          </Button>
          <Button size="small" color="error" disabled={busy} onClick={() => void call("DELETE")}>
            {busy ? "Stopping…" : "Stop signing"}
          </Button>
        </Stack>
        {error && (
          <Alert severity="error" sx={{ mt: 1 }}>
            {error.message}
          </Alert>
        )}
      </Box>
    );
  }
  if (!open) {
    return (
      <Button size="small" sx={{ mt: 1, px: 0 }} onClick={() => setOpen(true)}>
        Set up DKIM signing
      </Button>
    );
  }
  return (
    <Box
      component="form"
      sx={{ mt: 1 }}
      onSubmit={(e) => {
        e.preventDefault();
        void call("PUT");
      }}
    >
      <Typography variant="body2" sx={{ mb: 1 }}>
        Sign mail from {sender.fromEmail} with DKIM, so receivers can tell it comes from your domain. Leave
        the key empty to have one made; you then publish the DNS record shown.
      </Typography>
      <Stack spacing={1.5}>
        <TextField
          label="Selector"
          size="small"
          value={selector}
          onChange={(e) => setSelector(e.target.value)}
          error={!!error?.fields.selector}
          helperText={error?.fields.selector?.[0] ?? "The name of this key in DNS, such as sv1"}
          required
        />
        <TextField
          label="Private key to import (optional)"
          size="small"
          multiline
          minRows={3}
          value={privateKey}
          onChange={(e) => setPrivateKey(e.target.value)}
          error={!!error?.fields.privateKey}
          helperText={error?.fields.privateKey?.[0] ?? "PEM, -----BEGIN PRIVATE KEY----- … Stored encrypted."}
          slotProps={{ htmlInput: { spellCheck: false, style: { fontFamily: "monospace" } } }}
        />
        {error && !error.fields.selector && !error.fields.privateKey && (
          <Alert severity="error">{error.message}</Alert>
        )}
        <Stack direction="row" spacing={1}>
          <Button type="submit" variant="contained" size="small" disabled={busy}>
            {busy ? "Saving…" : "Start signing"}
          </Button>
          <Button size="small" onClick={() => setOpen(false)} disabled={busy}>
            Cancel
          </Button>
        </Stack>
      </Stack>
    </Box>
  );
}
