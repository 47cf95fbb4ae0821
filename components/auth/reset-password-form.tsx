"use client";
import Alert from "@mui/material/Alert";
import Button from "@mui/material/Button";
import Link from "@mui/material/Link";
import Stack from "@mui/material/Stack";
import TextField from "@/components/ui/text-field";
import Typography from "@mui/material/Typography";
import NextLink from "next/link";
import { useState, useSyncExternalStore, type FormEvent } from "react";
import { ApiClientError, fetchJson } from "@/lib/api/client";
import { linkFragmentValue, subscribeToHashChange } from "@/lib/auth/link-fragment";

/**
 * Sets a new password from an emailed link. The token travels in the URL fragment (#token=…), which browsers
 * never send to a server: it stays out of access logs and Referer headers.
 */
export function ResetPasswordForm() {
  // null on the server and before hydration; "" when the link carries no token.
  const token = useSyncExternalStore(
    subscribeToHashChange,
    () => linkFragmentValue(window.location.hash, "token") ?? "",
    () => null,
  );
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<Record<string, string[]>>({});
  const [done, setDone] = useState(false);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const newPassword = String(form.get("newPassword") ?? "");
    if (newPassword !== String(form.get("confirm") ?? "")) {
      setFields({ confirm: ["The two passwords differ."] });
      return;
    }
    setPending(true);
    setError(null);
    setFields({});
    try {
      await fetchJson("/api/password-reset/confirm", { method: "POST", json: { token, newPassword } });
      // The link is used up: take it out of the address bar and history.
      window.history.replaceState(null, "", window.location.pathname);
      setDone(true);
    } catch (e) {
      setError(e instanceof ApiClientError ? e.message : "Could not set the password. Try again.");
      if (e instanceof ApiClientError) setFields(e.fields);
    } finally {
      setPending(false);
    }
  }

  return (
    <Stack component="form" spacing={2} onSubmit={onSubmit} noValidate aria-label="Choose a new password">
      <Typography variant="h6" component="h1">
        Choose a new password
      </Typography>
      {done ? (
        <>
          <Alert severity="success" role="status">
            Your password has been changed, and every device signed in to your account has been signed out.
          </Alert>
          <Button component={NextLink} href="/sign-in" variant="contained" size="large">
            Sign in
          </Button>
        </>
      ) : token === "" ? (
        <Alert severity="error">
          This link is incomplete. Open the link from the email again, or{" "}
          <Link component={NextLink} href="/forgot-password">
            ask for a new one
          </Link>
          .
        </Alert>
      ) : (
        <>
          {error && (
            <Alert severity="error">
              {error}{" "}
              {fields.token && (
                <Link component={NextLink} href="/forgot-password">
                  Ask for a new link
                </Link>
              )}
            </Alert>
          )}
          <TextField
            name="newPassword"
            type="password"
            label="New password"
            autoComplete="new-password"
            required
            autoFocus
            fullWidth
            error={!!fields.newPassword}
            helperText={fields.newPassword?.[0] ?? "At least 10 characters."}
          />
          <TextField
            name="confirm"
            type="password"
            label="New password again"
            autoComplete="new-password"
            required
            fullWidth
            error={!!fields.confirm}
            helperText={fields.confirm?.[0]}
          />
          <Button type="submit" variant="contained" size="large" disabled={pending || token === null}>
            {pending ? "Saving…" : "Set new password"}
          </Button>
        </>
      )}
    </Stack>
  );
}
