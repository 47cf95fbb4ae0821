"use client";
import Button from "@mui/material/Button";
import Dialog from "@mui/material/Dialog";
import DialogActions from "@mui/material/DialogActions";
import DialogContent from "@mui/material/DialogContent";
import DialogTitle from "@mui/material/DialogTitle";
import List from "@mui/material/List";
import ListItemButton from "@mui/material/ListItemButton";
import ListItemText from "@mui/material/ListItemText";
import TextField from "@mui/material/TextField";
import { useMemo, useState, type FormEvent } from "react";

/** Schedule send: a few usual times, or any date and time (in the device's time zone). */
export default function ScheduleDialog({
  onSchedule,
  onCancel,
}: {
  onSchedule: (at: Date) => void;
  onCancel: () => void;
}) {
  const suggestions = useMemo(() => suggestedTimes(new Date()), []);
  const [error, setError] = useState<string | null>(null);

  function submitCustom(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    // This form is the dialog's own: React hands a portal's events to the components around it, and a form
    // there must not take this submit as its own (Compose sent the message at once).
    event.stopPropagation();
    // Read from the field itself: what it shows is what gets scheduled, even for a value typed while the
    // dialog was still starting up.
    const at = new Date(String(new FormData(event.currentTarget).get("when") ?? ""));
    if (Number.isNaN(at.getTime())) return setError("Choose a date and a time.");
    if (at.getTime() <= Date.now() + 30_000) return setError("Choose a time in the future.");
    if (at.getTime() > Date.now() + 365 * 86_400_000) return setError("Choose a time within the next year.");
    onSchedule(at);
  }

  return (
    <Dialog open onClose={onCancel} aria-labelledby="schedule-title" fullWidth maxWidth="xs">
      <DialogTitle id="schedule-title">Schedule send</DialogTitle>
      <DialogContent>
        <List dense disablePadding>
          {suggestions.map((s) => (
            <ListItemButton key={s.label} onClick={() => onSchedule(s.at)}>
              <ListItemText primary={s.label} secondary={s.at.toLocaleString()} />
            </ListItemButton>
          ))}
        </List>
        <form onSubmit={submitCustom} id="schedule-custom" noValidate>
          <TextField
            type="datetime-local"
            label="Pick a date and time"
            name="when"
            defaultValue={toLocalInput(suggestions[0]!.at)}
            onChange={() => setError(null)}
            error={Boolean(error)}
            helperText={error ?? "The message waits on the server and goes out at this time."}
            fullWidth
            sx={{ mt: 2 }}
            slotProps={{ inputLabel: { shrink: true } }}
          />
        </form>
      </DialogContent>
      <DialogActions>
        <Button onClick={onCancel}>Cancel</Button>
        <Button type="submit" form="schedule-custom" variant="contained">
          Schedule
        </Button>
      </DialogActions>
    </Dialog>
  );
}

function suggestedTimes(now: Date): { label: string; at: Date }[] {
  const at = (daysAhead: number, hour: number) => {
    const d = new Date(now);
    d.setDate(d.getDate() + daysAhead);
    d.setHours(hour, 0, 0, 0);
    return d;
  };
  const daysToMonday = (8 - now.getDay()) % 7 || 7;
  const list = [
    { label: "This afternoon", at: at(0, 14) },
    { label: "This evening", at: at(0, 18) },
    { label: "Tomorrow morning", at: at(1, 8) },
    { label: "Monday morning", at: at(daysToMonday, 8) },
  ];
  return list.filter((s) => s.at.getTime() > now.getTime() + 15 * 60_000);
}

/** The value a datetime-local input wants: local time, no zone. */
function toLocalInput(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
