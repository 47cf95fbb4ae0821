"use client";
import Button from "@mui/material/Button";
import Dialog from "@mui/material/Dialog";
import DialogActions from "@mui/material/DialogActions";
import DialogContent from "@mui/material/DialogContent";
import DialogTitle from "@mui/material/DialogTitle";
import TextField from "@mui/material/TextField";
import { useState, type FormEvent, type KeyboardEvent } from "react";
import { normalizeLink } from "@/lib/compose/links";

/**
 * Add or change the link on the selected text. A bare address ("example.com/page") gets https://; anything but
 * a web or mailto: address is refused here, before it reaches the message.
 */
export default function LinkDialog({
  initialHref,
  onApply,
  onRemove,
  onCancel,
}: {
  initialHref: string;
  onApply: (href: string) => void;
  /** Offered when the selection already has a link. */
  onRemove?: () => void;
  onCancel: () => void;
}) {
  const [href, setHref] = useState(initialHref);
  const [error, setError] = useState<string | null>(null);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    // The editor sits inside Compose's form, and React hands a portal's events to the components around it:
    // this submit must not also be taken as Send.
    event.stopPropagation();
    const link = normalizeLink(href);
    if (!link) return setError("Enter a web address (https://…) or an email address.");
    onApply(link);
  }

  // Enter (and Ctrl/Cmd+Enter, Compose's Send) belong to this dialog while it is open.
  function keepEnter(event: KeyboardEvent) {
    if (event.key === "Enter") event.stopPropagation();
  }

  return (
    <Dialog open onClose={onCancel} aria-labelledby="link-title" fullWidth maxWidth="xs">
      <form onSubmit={submit} onKeyDown={keepEnter} noValidate>
        <DialogTitle id="link-title">{initialHref ? "Edit link" : "Add link"}</DialogTitle>
        <DialogContent>
          <TextField
            autoFocus
            label="Link address"
            name="href"
            type="url"
            inputMode="url"
            value={href}
            onChange={(e) => {
              setHref(e.target.value);
              setError(null);
            }}
            error={Boolean(error)}
            helperText={error ?? "For example https://example.com or name@example.com"}
            fullWidth
            margin="dense"
            slotProps={{ htmlInput: { autoCapitalize: "none", spellCheck: false } }}
          />
        </DialogContent>
        <DialogActions>
          {onRemove && (
            <Button color="error" onClick={onRemove} sx={{ mr: "auto" }}>
              Remove link
            </Button>
          )}
          <Button onClick={onCancel}>Cancel</Button>
          <Button type="submit" variant="contained">
            Apply
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
