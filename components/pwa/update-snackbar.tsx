"use client";
import Button from "@mui/material/Button";
import Snackbar from "@mui/material/Snackbar";

/** "Update available — Reload": the new version starts only when the user chooses to. */
export default function UpdateSnackbar({ onReload }: { onReload: () => void }) {
  return (
    <Snackbar
      open
      message="Update available"
      action={
        <Button color="inherit" size="small" onClick={onReload}>
          Reload
        </Button>
      }
    />
  );
}
