"use client";
import Alert from "@mui/material/Alert";
import Button from "@mui/material/Button";
import CircularProgress from "@mui/material/CircularProgress";
import Paper from "@mui/material/Paper";
import Stack from "@mui/material/Stack";
import Typography from "@mui/material/Typography";
import dynamic from "next/dynamic";
import { useEffect, useState } from "react";
import type { TwoFactorStep } from "@/components/settings/two-factor-dialog";
import { ApiClientError, fetchJson } from "@/lib/api/client";

type Status = { enabled: boolean; recoveryCodesLeft: number };
// The dialogs load when first opened: most visits to Settings never need them.
const TwoFactorDialog = dynamic(() => import("@/components/settings/two-factor-dialog"), { ssr: false });

const messageOf = (e: unknown, fallback: string) => (e instanceof ApiClientError ? e.message : fallback);

/** Settings → Account security: two-factor sign-in with an authenticator app. */
export function TwoFactorPanel() {
  const [status, setStatus] = useState<Status | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [step, setStep] = useState<TwoFactorStep>({ kind: "closed" });
  const [loads, setLoads] = useState(0);

  useEffect(() => {
    let current = true;
    fetchJson<Status>("/api/account/two-factor").then(
      (loaded) => current && setStatus(loaded),
      (e: unknown) => current && setLoadError(messageOf(e, "Could not load the two-factor settings.")),
    );
    return () => {
      current = false;
    };
  }, [loads]);

  const load = () => {
    setLoadError(null);
    setLoads((n) => n + 1);
  };

  const close = () => {
    setStep({ kind: "closed" });
    load();
  };

  return (
    <Paper variant="outlined" sx={{ p: 2 }} aria-labelledby="two-factor-title" component="section">
      <Typography id="two-factor-title" variant="subtitle1" component="h3">
        Two-factor sign-in
      </Typography>
      <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
        Signing in also asks for a code from an authenticator app on your phone, so a stolen password alone is
        not enough.
      </Typography>
      {loadError ? (
        <Alert
          severity="error"
          action={
            <Button color="inherit" size="small" onClick={load}>
              Retry
            </Button>
          }
        >
          {loadError}
        </Alert>
      ) : !status ? (
        <CircularProgress size={24} aria-label="Loading two-factor settings" />
      ) : status.enabled ? (
        <Stack spacing={1} sx={{ alignItems: "flex-start" }}>
          <Typography variant="body2" role="status">
            On. {status.recoveryCodesLeft} recovery code{status.recoveryCodesLeft === 1 ? "" : "s"} left.
          </Typography>
          <Button variant="outlined" onClick={() => setStep({ kind: "disable" })}>
            Turn off two-factor sign-in
          </Button>
        </Stack>
      ) : (
        <Button variant="outlined" onClick={() => setStep({ kind: "password" })}>
          Turn on two-factor sign-in
        </Button>
      )}

      {step.kind !== "closed" && <TwoFactorDialog step={step} onStep={setStep} onClose={close} />}
    </Paper>
  );
}
