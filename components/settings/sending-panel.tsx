"use client";
import Alert from "@mui/material/Alert";
import Paper from "@mui/material/Paper";
import Stack from "@mui/material/Stack";
import SelectField from "@/components/ui/select-field";
import Typography from "@mui/material/Typography";
import { useState } from "react";
import { ApiClientError, fetchJson } from "@/lib/api/client";
import { UNDO_SEND_CHOICES } from "@/lib/validation/undo-send-choices";

/** How long Send waits so Undo can take a message back. */
export function SendingPanel({ undoSendSeconds }: { undoSendSeconds: number }) {
  const [value, setValue] = useState(undoSendSeconds);
  const [saving, setSaving] = useState(false);
  const [message, setMessage] = useState<{ tone: "success" | "error"; text: string } | null>(null);
  const choices = [...new Set<number>([...UNDO_SEND_CHOICES, undoSendSeconds])].sort((a, b) => a - b);

  async function save(seconds: number) {
    const previous = value;
    setValue(seconds);
    setSaving(true);
    setMessage(null);
    try {
      await fetchJson("/api/account", { method: "PATCH", json: { undoSendSeconds: seconds } });
      setMessage({ tone: "success", text: seconds ? `Undo window: ${seconds} seconds.` : "Undo is off." });
    } catch (e) {
      setValue(previous);
      setMessage({ tone: "error", text: e instanceof ApiClientError ? e.message : "Could not save." });
    } finally {
      setSaving(false);
    }
  }

  return (
    <Stack spacing={2} sx={{ maxWidth: 900 }}>
      <Typography variant="h6" component="h2">
        Sending
      </Typography>
      <Paper variant="outlined" sx={{ p: 2 }}>
        <SelectField
          label="Undo send"
          value={value}
          disabled={saving}
          onChange={(e) => void save(Number(e.target.value))}
          helperText="After Send, a message waits this long on the server; Undo takes it back into your draft."
          sx={{ minWidth: 260 }}
          htmlSelect={{ "data-testid": "undo-window" }}
        >
          {choices.map((s) => (
            <option key={s} value={s}>
              {s === 0 ? "Off — send at once" : `${s} seconds`}
            </option>
          ))}
        </SelectField>
        {message && (
          <Alert severity={message.tone} sx={{ mt: 2 }} role="status">
            {message.text}
          </Alert>
        )}
      </Paper>
    </Stack>
  );
}
