"use client";
import IosShareOutlined from "@mui/icons-material/IosShareOutlined";
import Button from "@mui/material/Button";
import Dialog from "@mui/material/Dialog";
import DialogActions from "@mui/material/DialogActions";
import DialogContent from "@mui/material/DialogContent";
import DialogContentText from "@mui/material/DialogContentText";
import DialogTitle from "@mui/material/DialogTitle";
import Typography from "@mui/material/Typography";
import { useId } from "react";

/** How to add SecureVault to the Home Screen on iPhone and iPad, where browsers offer no install prompt. */
export default function IosInstallDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const descriptionId = useId();
  return (
    <Dialog open={open} onClose={onClose} fullWidth maxWidth="xs" aria-describedby={descriptionId}>
      <DialogTitle>Install SecureVault</DialogTitle>
      <DialogContent>
        <Typography component="ol" id={descriptionId} sx={{ pl: 2.5, mt: 0, "& li + li": { mt: 1 } }}>
          <li>
            Tap the Share button <IosShareOutlined fontSize="small" sx={{ verticalAlign: "text-bottom" }} />{" "}
            in the browser toolbar.
          </li>
          <li>
            Choose <strong>Add to Home Screen</strong>, then tap <strong>Add</strong>.
          </li>
        </Typography>
        <DialogContentText sx={{ mt: 2 }}>
          On iPhone and iPad, notifications only work in the app opened from your Home Screen.
        </DialogContentText>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose} autoFocus>
          Got it
        </Button>
      </DialogActions>
    </Dialog>
  );
}
