"use client";
import Alert from "@mui/material/Alert";
import Button from "@mui/material/Button";
import Link from "@mui/material/Link";
import Stack from "@mui/material/Stack";
import TextField from "@mui/material/TextField";
import Typography from "@mui/material/Typography";
import NextLink from "next/link";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { ApiClientError, fetchJson } from "@/lib/api/client";
import { signInWithPassword } from "@/lib/auth/client-sign-in";

export function SignUpForm() {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<Record<string, string[]>>({});
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const email = String(form.get("email"));
    const password = String(form.get("password"));
    setPending(true);
    setError(null);
    setFields({});
    try {
      await fetchJson("/api/account", {
        method: "POST",
        json: { name: String(form.get("name") || ""), email, password },
      });
      await signInWithPassword(email, password);
      // One navigation: /compose is rendered afresh for the new session. A refresh on top of it could land
      // after the first render and remount Compose, wiping what the user had started to write.
      router.replace("/compose");
    } catch (e) {
      if (e instanceof ApiClientError) {
        setError(e.message);
        setFields(e.fields);
      } else {
        setError("Could not create the account. Try again.");
      }
      setPending(false);
    }
  }

  return (
    <Stack component="form" spacing={2} onSubmit={onSubmit} noValidate aria-label="Create account">
      <Typography variant="h6" component="h1">
        Create your account
      </Typography>
      {error && <Alert severity="error">{error}</Alert>}
      <TextField
        name="name"
        label="Your name"
        autoComplete="name"
        fullWidth
        error={!!fields.name}
        helperText={fields.name?.[0]}
      />
      <TextField
        name="email"
        type="email"
        label="Email"
        autoComplete="email"
        required
        fullWidth
        error={!!fields.email}
        helperText={fields.email?.[0]}
      />
      <TextField
        name="password"
        type="password"
        label="Password"
        autoComplete="new-password"
        required
        fullWidth
        error={!!fields.password}
        helperText={fields.password?.[0] ?? "At least 10 characters."}
      />
      <Button type="submit" variant="contained" size="large" disabled={pending}>
        {pending ? "Creating account…" : "Create account"}
      </Button>
      <Typography variant="body2">
        Already have an account?{" "}
        <Link component={NextLink} href="/sign-in">
          Sign in
        </Link>
      </Typography>
    </Stack>
  );
}
