"use client";
// The confirmations of Settings → Security (components/settings/account-security-panel.tsx holds their state).
import Alert from "@mui/material/Alert";
import Button from "@mui/material/Button";
import Dialog from "@mui/material/Dialog";
import DialogActions from "@mui/material/DialogActions";
import DialogContent from "@mui/material/DialogContent";
import DialogContentText from "@mui/material/DialogContentText";
import DialogTitle from "@mui/material/DialogTitle";
import TextField from "@/components/ui/text-field";

export function SignOutEverywhereDialog({
  busy,
  onCancel,
  onConfirm,
}: {
  busy: boolean;
  onCancel: () => void;
  onConfirm: () => void;
}) {
  return (
    <Dialog open onClose={onCancel} aria-labelledby="signout-title">
      <DialogTitle id="signout-title">Sign out everywhere?</DialogTitle>
      <DialogContent>
        <DialogContentText>
          Every device signed in to your account is signed out, this one too. Messages already queued on the
          server still go out.
        </DialogContentText>
      </DialogContent>
      <DialogActions>
        <Button onClick={onCancel}>Cancel</Button>
        <Button onClick={onConfirm} disabled={busy} variant="contained">
          Sign out everywhere
        </Button>
      </DialogActions>
    </Dialog>
  );
}

export function DeleteAccountDialog({
  password,
  onPassword,
  error,
  busy,
  onCancel,
  onConfirm,
}: {
  password: string;
  onPassword: (value: string) => void;
  error: string | null;
  busy: boolean;
  onCancel: () => void;
  onConfirm: () => void;
}) {
  return (
    <Dialog open onClose={onCancel} aria-labelledby="delete-title" fullWidth maxWidth="xs">
      <DialogTitle id="delete-title">Delete your account?</DialogTitle>
      <DialogContent>
        <DialogContentText sx={{ mb: 2 }}>
          This cannot be undone. Export your data first if you want to keep it. Enter your password to
          confirm.
        </DialogContentText>
        <TextField
          label="Password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => onPassword(e.target.value)}
          fullWidth
          autoFocus
        />
        {error && (
          <Alert severity="error" sx={{ mt: 2 }} role="alert">
            {error}
          </Alert>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onCancel}>Cancel</Button>
        <Button onClick={onConfirm} disabled={busy || !password} color="error" variant="contained">
          Delete for good
        </Button>
      </DialogActions>
    </Dialog>
  );
}
