"use client";
import Alert from "@mui/material/Alert";
import Button from "@mui/material/Button";
import Dialog from "@mui/material/Dialog";
import DialogActions from "@mui/material/DialogActions";
import DialogContent from "@mui/material/DialogContent";
import DialogTitle from "@mui/material/DialogTitle";
import Typography from "@mui/material/Typography";
import useMediaQuery from "@mui/material/useMediaQuery";
import type { Theme } from "@mui/material/styles";
import dynamic from "next/dynamic";
import { useRef, useState } from "react";
import { Placeholder } from "@/components/ui/light-feedback";
import { ApiClientError, fetchJson } from "@/lib/api/client";
import type { SenderView } from "@/lib/senders/senders";

const RichTextEditor = dynamic(() => import("@/components/compose/rich-text-editor"), {
  ssr: false,
  loading: () => <Placeholder height={220} label="Loading editor" />,
});

/** Settings → Senders: one sender's rich-text signature, added to every new message written from it. */
export function SignatureDialog({
  sender,
  onClose,
  onSaved,
}: {
  sender: SenderView;
  onClose: () => void;
  onSaved: (signatureHtml: string | null) => void;
}) {
  const fullScreen = useMediaQuery((theme: Theme) => theme.breakpoints.down("sm"));
  const content = useRef({ html: sender.signatureHtml ?? "", empty: !sender.signatureHtml });
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function save() {
    setSaving(true);
    setError(null);
    try {
      const { signatureHtml } = await fetchJson<{ signatureHtml: string | null }>(
        `/api/senders/${sender.id}/signature`,
        { method: "PUT", json: { html: content.current.empty ? "" : content.current.html } },
      );
      onSaved(signatureHtml);
    } catch (e) {
      setError(e instanceof ApiClientError ? e.message : "Could not save the signature. Try again.");
      setSaving(false);
    }
  }

  return (
    <Dialog
      open
      onClose={onClose}
      aria-labelledby="signature-title"
      fullWidth
      maxWidth="sm"
      fullScreen={fullScreen}
    >
      <DialogTitle id="signature-title">Signature of {sender.label}</DialogTitle>
      <DialogContent>
        <Typography variant="body2" color="text.secondary" sx={{ mb: 1.5 }}>
          Added below what you write in new messages, replies and forwards from {sender.fromEmail} (above
          quoted text). Leave it empty for none.
        </Typography>
        {error && (
          <Alert severity="error" sx={{ mb: 1.5 }}>
            {error}
          </Alert>
        )}
        <RichTextEditor
          initialHtml={sender.signatureHtml ?? ""}
          label="Signature"
          onChange={(html, empty) => {
            content.current = { html, empty };
          }}
        />
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Cancel</Button>
        <Button variant="contained" onClick={() => void save()} disabled={saving}>
          {saving ? "Saving…" : "Save signature"}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
