"use client";
import Alert from "@mui/material/Alert";
import Button from "@mui/material/Button";
import Link from "@mui/material/Link";
import Stack from "@mui/material/Stack";
import TextField from "@/components/ui/text-field";
import Typography from "@mui/material/Typography";
import NextLink from "next/link";
import { useState, type FormEvent } from "react";
import { ApiClientError, fetchJson } from "@/lib/api/client";

/** "Forgot password?": asks for a reset link. The answer never says whether the address has an account. */
export function ForgotPasswordForm() {
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<Record<string, string[]>>({});
  const [sent, setSent] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const email = String(new FormData(event.currentTarget).get("email") ?? "");
    setPending(true);
    setError(null);
    setFields({});
    try {
      const { message } = await fetchJson<{ message: string }>("/api/password-reset", {
        method: "POST",
        json: { email },
      });
      setSent(message);
    } catch (e) {
      setError(e instanceof ApiClientError ? e.message : "Could not send the request. Try again.");
      if (e instanceof ApiClientError) setFields(e.fields);
    } finally {
      setPending(false);
    }
  }

  return (
    <Stack component="form" spacing={2} onSubmit={onSubmit} noValidate aria-label="Reset your password">
      <Typography variant="h6" component="h1">
        Reset your password
      </Typography>
      {sent ? (
        <Alert severity="success" role="status">
          {sent} Check your inbox; the link works once and for a limited time.
        </Alert>
      ) : (
        <>
          <Typography variant="body2" color="text.secondary">
            Enter the email address of your account. We will send it a link to choose a new password.
          </Typography>
          {error && <Alert severity="error">{error}</Alert>}
          <TextField
            name="email"
            type="email"
            label="Email"
            autoComplete="email"
            required
            autoFocus
            fullWidth
            error={!!fields.email}
            helperText={fields.email?.[0]}
          />
          <Button type="submit" variant="contained" size="large" disabled={pending}>
            {pending ? "Sending…" : "Send reset link"}
          </Button>
        </>
      )}
      <Typography variant="body2">
        <Link component={NextLink} href="/sign-in">
          Back to sign in
        </Link>
      </Typography>
    </Stack>
  );
}
