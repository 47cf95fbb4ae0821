"use client";
import Button from "@mui/material/Button";
import Dialog from "@mui/material/Dialog";
import DialogActions from "@mui/material/DialogActions";
import DialogContent from "@mui/material/DialogContent";
import DialogContentText from "@mui/material/DialogContentText";
import DialogTitle from "@mui/material/DialogTitle";

type Props = { unsent: number; onCancel: () => void; onConfirm: () => void };

/** Asked before signing out while messages still wait in this device's outbox. */
export default function SignOutDialog({ unsent, onCancel, onConfirm }: Props) {
  return (
    <Dialog open onClose={onCancel}>
      <DialogTitle>Sign out with unsent messages?</DialogTitle>
      <DialogContent>
        <DialogContentText>
          {unsent} message{unsent === 1 ? " has" : "s have"} not reached SecureVault yet. Signing out removes{" "}
          {unsent === 1 ? "it" : "them"} from this device, with your drafts.
        </DialogContentText>
      </DialogContent>
      <DialogActions>
        <Button onClick={onCancel} autoFocus>
          Stay signed in
        </Button>
        <Button color="error" onClick={onConfirm}>
          Sign out and delete
        </Button>
      </DialogActions>
    </Dialog>
  );
}
