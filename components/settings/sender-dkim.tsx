"use client";
import Alert from "@mui/material/Alert";
import Box from "@mui/material/Box";
import Button from "@mui/material/Button";
import Stack from "@mui/material/Stack";
import Typography from "@mui/material/Typography";
import dynamic from "next/dynamic";
import { useState } from "react";
import type { DkimFormError } from "@/components/settings/sender-dkim-form";
import { Placeholder } from "@/components/ui/light-feedback";
import { ApiClientError, fetchJson } from "@/lib/api/client";
import type { SenderView } from "@/lib/senders/senders";

// A sender's DKIM signing in Settings → Senders: the DNS record to publish when it signs, or a small form to
// start (a selector, and a private key to import or none to have one made). The key itself never comes back.

// The form (text fields) loads when "Set up DKIM signing" is clicked, not with Settings → Senders.
const DkimSetupForm = dynamic(
  () => import("@/components/settings/sender-dkim-form").then((m) => m.DkimSetupForm),
  { ssr: false, loading: () => <Placeholder height={260} label="Loading the DKIM form" /> },
);

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
  const [error, setError] = useState<DkimFormError | null>(null);
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
    <DkimSetupForm
      fromEmail={sender.fromEmail}
      selector={selector}
      onSelector={setSelector}
      privateKey={privateKey}
      onPrivateKey={setPrivateKey}
      busy={busy}
      error={error}
      onSubmit={() => void call("PUT")}
      onCancel={() => setOpen(false)}
    />
  );
}
