"use client";
import Button from "@mui/material/Button";
import Dialog from "@mui/material/Dialog";
import DialogActions from "@mui/material/DialogActions";
import DialogContent from "@mui/material/DialogContent";
import DialogTitle from "@mui/material/DialogTitle";
import MenuItem from "@mui/material/MenuItem";
import Stack from "@mui/material/Stack";
import TextField from "@mui/material/TextField";
import { useState, type FormEvent, type ReactNode } from "react";
import { lengths, tones } from "@/lib/validation/ai";

export type DraftInput = { instruction: string; tone: string; length: string; language: string };

/** What the AI should write: the instruction, and optionally tone, length and language. */
export function DraftDialog({
  onCancel,
  onDraft,
  files,
}: {
  onCancel: () => void;
  onDraft: (input: DraftInput) => void;
  /** The "Use the attached files" control, when the message has files. */
  files?: ReactNode;
}) {
  const [instruction, setInstruction] = useState("");
  const [tone, setTone] = useState("neutral");
  const [length, setLength] = useState("medium");
  const [language, setLanguage] = useState("");

  function submit(event: FormEvent) {
    event.preventDefault();
    if (instruction.trim())
      onDraft({ instruction: instruction.trim(), tone, length, language: language.trim() });
  }

  return (
    <Dialog open onClose={onCancel} fullWidth maxWidth="sm">
      <form onSubmit={submit} aria-label="Draft with AI">
        <DialogTitle>Draft with AI</DialogTitle>
        <DialogContent>
          <Stack spacing={2} sx={{ pt: 1 }}>
            <TextField
              label="What should the email say?"
              placeholder="Thank Sam for the signed contract and propose a call next week"
              value={instruction}
              onChange={(e) => setInstruction(e.target.value)}
              multiline
              minRows={3}
              autoFocus
              required
            />
            <Stack direction={{ xs: "column", sm: "row" }} spacing={2}>
              <TextField select label="Tone" value={tone} onChange={(e) => setTone(e.target.value)} fullWidth>
                {tones.map((t) => (
                  <MenuItem key={t} value={t}>
                    {t[0]!.toUpperCase() + t.slice(1)}
                  </MenuItem>
                ))}
              </TextField>
              <TextField
                select
                label="Length"
                value={length}
                onChange={(e) => setLength(e.target.value)}
                fullWidth
              >
                {lengths.map((l) => (
                  <MenuItem key={l} value={l}>
                    {l[0]!.toUpperCase() + l.slice(1)}
                  </MenuItem>
                ))}
              </TextField>
              <TextField
                label="Language"
                placeholder="Same as the instruction"
                value={language}
                onChange={(e) => setLanguage(e.target.value)}
                fullWidth
              />
            </Stack>
            {files}
          </Stack>
        </DialogContent>
        <DialogActions>
          <Button onClick={onCancel}>Cancel</Button>
          <Button type="submit" variant="contained" disabled={!instruction.trim()}>
            Write draft
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
