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
import { ApiClientError } from "@/lib/api/client";
import { signInWithPassword } from "@/lib/auth/client-sign-in";

export function SignInForm() {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(null);
    try {
      await signInWithPassword(String(form.get("email")), String(form.get("password")));
      // One navigation: /compose is rendered afresh for the new session. A refresh on top of it could land
      // after the first render and remount Compose, wiping what the user had started to write.
      router.replace("/compose");
    } catch (e) {
      setError(e instanceof ApiClientError ? e.message : "Sign-in failed. Try again.");
      setPending(false);
    }
  }

  return (
    <Stack component="form" spacing={2} onSubmit={onSubmit} noValidate aria-label="Sign in">
      <Typography variant="h6" component="h1">
        Sign in
      </Typography>
      {error && <Alert severity="error">{error}</Alert>}
      <TextField name="email" type="email" label="Email" autoComplete="email" required autoFocus fullWidth />
      <TextField
        name="password"
        type="password"
        label="Password"
        autoComplete="current-password"
        required
        fullWidth
      />
      <Link component={NextLink} href="/forgot-password" variant="body2" sx={{ alignSelf: "flex-end" }}>
        Forgot password?
      </Link>
      <Button type="submit" variant="contained" size="large" disabled={pending}>
        {pending ? "Signing in…" : "Sign in"}
      </Button>
      <Typography variant="body2">
        New here?{" "}
        <Link component={NextLink} href="/sign-up">
          Create an account
        </Link>
      </Typography>
    </Stack>
  );
}
