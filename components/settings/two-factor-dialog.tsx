"use client";
import Alert from "@mui/material/Alert";
import Box from "@mui/material/Box";
import Button from "@mui/material/Button";
import Dialog from "@mui/material/Dialog";
import DialogActions from "@mui/material/DialogActions";
import DialogContent from "@mui/material/DialogContent";
import DialogContentText from "@mui/material/DialogContentText";
import DialogTitle from "@mui/material/DialogTitle";
import Link from "@mui/material/Link";
import Stack from "@mui/material/Stack";
import TextField from "@/components/ui/text-field";
import Typography from "@mui/material/Typography";
import { useState, type FormEvent } from "react";
import { ApiClientError, fetchJson } from "@/lib/api/client";

type Setup = { secret: string; uri: string };
export type TwoFactorStep =
  | { kind: "closed" }
  | { kind: "password" }
  | { kind: "scan"; setup: Setup }
  | { kind: "codes"; recoveryCodes: string[] }
  | { kind: "disable" };

const messageOf = (e: unknown, fallback: string) => (e instanceof ApiClientError ? e.message : fallback);

/** The steps of turning two-factor sign-in on (password → app → recovery codes) or off (password + code). */
export default function TwoFactorDialog({
  step,
  onStep,
  onClose,
}: {
  step: TwoFactorStep;
  onStep: (step: TwoFactorStep) => void;
  onClose: () => void;
}) {
  return (
    <Dialog
      open
      // The recovery codes are shown once: only the button that says they were saved closes that step.
      onClose={step.kind === "codes" ? undefined : onClose}
      aria-labelledby="two-factor-dialog-title"
      fullWidth
      maxWidth="sm"
    >
      {step.kind === "password" && (
        <PasswordStep onCancel={onClose} onDone={(setup) => onStep({ kind: "scan", setup })} />
      )}
      {step.kind === "scan" && (
        <ScanStep
          setup={step.setup}
          onCancel={onClose}
          onDone={(recoveryCodes) => onStep({ kind: "codes", recoveryCodes })}
        />
      )}
      {step.kind === "codes" && <RecoveryCodesStep codes={step.recoveryCodes} onDone={onClose} />}
      {step.kind === "disable" && <DisableStep onCancel={onClose} onDone={onClose} />}
    </Dialog>
  );
}

function useSubmit<T>(action: (values: FormData) => Promise<T>, onDone: (result: T) => void) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiClientError | null>(null);
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onDone(await action(new FormData(event.currentTarget)));
    } catch (e) {
      setError(
        e instanceof ApiClientError
          ? e
          : new ApiClientError(messageOf(e, "Something went wrong."), 0, "unknown_error"),
      );
      setBusy(false);
    }
  }
  return { busy, error, submit };
}

function PasswordStep({ onCancel, onDone }: { onCancel: () => void; onDone: (setup: Setup) => void }) {
  const { busy, error, submit } = useSubmit(
    (values) =>
      fetchJson<Setup>("/api/account/two-factor/setup", {
        method: "POST",
        json: { password: String(values.get("password") ?? "") },
      }),
    onDone,
  );
  return (
    <Box component="form" onSubmit={submit}>
      <DialogTitle id="two-factor-dialog-title">Turn on two-factor sign-in</DialogTitle>
      <DialogContent>
        <DialogContentText sx={{ mb: 2 }}>Enter your password to continue.</DialogContentText>
        <TextField
          name="password"
          label="Password"
          type="password"
          autoComplete="current-password"
          error={!!error}
          helperText={error?.message}
          required
          fullWidth
          autoFocus
        />
      </DialogContent>
      <DialogActions>
        <Button onClick={onCancel}>Cancel</Button>
        <Button type="submit" variant="contained" disabled={busy}>
          Continue
        </Button>
      </DialogActions>
    </Box>
  );
}

function ScanStep({
  setup,
  onCancel,
  onDone,
}: {
  setup: Setup;
  onCancel: () => void;
  onDone: (recoveryCodes: string[]) => void;
}) {
  const { busy, error, submit } = useSubmit(
    async (values) =>
      (
        await fetchJson<{ recoveryCodes: string[] }>("/api/account/two-factor", {
          method: "POST",
          json: { code: String(values.get("code") ?? "").trim() },
        })
      ).recoveryCodes,
    onDone,
  );
  // Groups of four are easier to type into an app by hand.
  const grouped = setup.secret.match(/.{1,4}/g)?.join(" ") ?? setup.secret;
  return (
    <Box component="form" onSubmit={submit}>
      <DialogTitle id="two-factor-dialog-title">Add SecureVault to your authenticator app</DialogTitle>
      <DialogContent>
        <DialogContentText sx={{ mb: 1 }}>
          On this phone,{" "}
          <Link href={setup.uri} underline="always">
            open the setup link in your authenticator app
          </Link>
          . Elsewhere, add an account in the app and type this key (time-based):
        </DialogContentText>
        <Typography
          data-testid="two-factor-secret"
          sx={{ fontFamily: "monospace", fontSize: "1.1rem", wordBreak: "break-all", mb: 2 }}
        >
          {grouped}
        </Typography>
        <TextField
          name="code"
          label="6-digit code from the app"
          autoComplete="one-time-code"
          slotProps={{ htmlInput: { inputMode: "numeric", pattern: "[0-9]{6}", maxLength: 6 } }}
          error={!!error}
          helperText={error?.message ?? "Two-factor sign-in starts once this code is confirmed."}
          required
          fullWidth
          autoFocus
        />
      </DialogContent>
      <DialogActions>
        <Button onClick={onCancel}>Cancel</Button>
        <Button type="submit" variant="contained" disabled={busy}>
          Confirm and turn on
        </Button>
      </DialogActions>
    </Box>
  );
}

function RecoveryCodesStep({ codes, onDone }: { codes: string[]; onDone: () => void }) {
  return (
    <>
      <DialogTitle id="two-factor-dialog-title">Two-factor sign-in is on</DialogTitle>
      <DialogContent>
        <DialogContentText sx={{ mb: 2 }}>
          Save these recovery codes somewhere safe. Each one signs you in once if you lose your phone. They
          are shown only now.
        </DialogContentText>
        <Box
          component="ul"
          aria-label="Recovery codes"
          sx={{ fontFamily: "monospace", columns: 2, listStyle: "none", p: 0, m: 0 }}
        >
          {codes.map((code) => (
            <li key={code}>{code}</li>
          ))}
        </Box>
      </DialogContent>
      <DialogActions>
        <Button onClick={() => void navigator.clipboard?.writeText(codes.join("\n"))}>Copy</Button>
        <Button variant="contained" onClick={onDone}>
          I have saved them
        </Button>
      </DialogActions>
    </>
  );
}

function DisableStep({ onCancel, onDone }: { onCancel: () => void; onDone: () => void }) {
  const { busy, error, submit } = useSubmit(
    (values) =>
      fetchJson<void>("/api/account/two-factor", {
        method: "DELETE",
        json: {
          password: String(values.get("password") ?? ""),
          code: String(values.get("code") ?? "").trim(),
        },
      }),
    onDone,
  );
  return (
    <Box component="form" onSubmit={submit}>
      <DialogTitle id="two-factor-dialog-title">Turn off two-factor sign-in?</DialogTitle>
      <DialogContent>
        <DialogContentText sx={{ mb: 2 }}>
          Your password alone will sign in again. Confirm with your password and a current code.
        </DialogContentText>
        <Stack spacing={2}>
          <TextField
            name="password"
            label="Password"
            type="password"
            autoComplete="current-password"
            error={!!error?.fields.password}
            helperText={error?.fields.password?.[0]}
            required
            fullWidth
            autoFocus
          />
          <TextField
            name="code"
            label="Code from the app, or a recovery code"
            autoComplete="one-time-code"
            error={!!error?.fields.code}
            helperText={error?.fields.code?.[0]}
            required
            fullWidth
          />
          {error && !error.fields.password && !error.fields.code && (
            <Alert severity="error" role="alert">
              {error.message}
            </Alert>
          )}
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={onCancel}>Cancel</Button>
        <Button type="submit" variant="contained" color="error" disabled={busy}>
          Turn off
        </Button>
      </DialogActions>
    </Box>
  );
}
