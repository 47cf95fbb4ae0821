"use client";
import Alert from "@mui/material/Alert";
import Box from "@mui/material/Box";
import Button from "@mui/material/Button";
import Stack from "@mui/material/Stack";
import TextField from "@mui/material/TextField";
import Typography from "@mui/material/Typography";

export type DkimFormError = { message: string; fields: Record<string, string[]> };

/** The form that starts DKIM signing for a sender (components/settings/sender-dkim.tsx holds its state). */
export function DkimSetupForm({
  fromEmail,
  selector,
  onSelector,
  privateKey,
  onPrivateKey,
  busy,
  error,
  onSubmit,
  onCancel,
}: {
  fromEmail: string;
  selector: string;
  onSelector: (value: string) => void;
  privateKey: string;
  onPrivateKey: (value: string) => void;
  busy: boolean;
  error: DkimFormError | null;
  onSubmit: () => void;
  onCancel: () => void;
}) {
  return (
    <Box
      component="form"
      sx={{ mt: 1 }}
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit();
      }}
    >
      <Typography variant="body2" sx={{ mb: 1 }}>
        Sign mail from {fromEmail} with DKIM, so receivers can tell it comes from your domain. Leave the key
        empty to have one made; you then publish the DNS record shown.
      </Typography>
      <Stack spacing={1.5}>
        <TextField
          label="Selector"
          size="small"
          value={selector}
          onChange={(e) => onSelector(e.target.value)}
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
          onChange={(e) => onPrivateKey(e.target.value)}
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
          <Button size="small" onClick={onCancel} disabled={busy}>
            Cancel
          </Button>
        </Stack>
      </Stack>
    </Box>
  );
}
