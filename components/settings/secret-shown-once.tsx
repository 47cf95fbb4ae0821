"use client";
import Alert from "@mui/material/Alert";
import Button from "@mui/material/Button";
import Stack from "@mui/material/Stack";
import TextField from "@/components/ui/text-field";
import Typography from "@mui/material/Typography";
import { useState, type FocusEvent } from "react";

/** A secret (API key, signing secret) shown once, right after it was made, with a copy button. */
export function SecretShownOnce({ label, value, note }: { label: string; value: string; note: string }) {
  const [copied, setCopied] = useState<boolean | null>(null);
  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      setCopied(true);
    } catch {
      setCopied(false);
    }
  }
  return (
    <Alert severity="success" sx={{ mt: 2 }}>
      <Typography variant="body2" sx={{ mb: 1 }}>
        {note}
      </Typography>
      <Stack direction={{ xs: "column", sm: "row" }} spacing={1}>
        <TextField
          value={value}
          label={label}
          size="small"
          fullWidth
          slotProps={{
            htmlInput: {
              readOnly: true,
              "data-testid": "secret-shown-once",
              onFocus: (e: FocusEvent<HTMLInputElement>) => e.currentTarget.select(),
            },
          }}
        />
        <Button variant="outlined" onClick={() => void copy()} sx={{ flexShrink: 0 }}>
          {copied ? "Copied" : "Copy"}
        </Button>
      </Stack>
      {copied === false && (
        <Typography variant="caption" color="error">
          Copying is not allowed here: select the text and copy it.
        </Typography>
      )}
    </Alert>
  );
}
