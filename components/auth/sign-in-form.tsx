"use client";
import Button from "@mui/material/Button";
import Link from "@mui/material/Link";
import Stack from "@mui/material/Stack";
import TextField from "@/components/ui/text-field";
import { InlineMessage } from "@/components/ui/light-feedback";
import Typography from "@mui/material/Typography";
import NextLink from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useState, type FormEvent } from "react";
import { ApiClientError, fetchJson } from "@/lib/api/client";
import { signInWithPassword } from "@/lib/auth/client-sign-in";

export function SignInForm() {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  // Two-factor accounts: after the right password, the same form asks for the code and signs in with both.
  const [needsCode, setNeedsCode] = useState(false);

  // Sent here because the session this device had was revoked or expired? Asking the API tells: its 401
  // makes the device forget that session's data (lib/api/client.ts). Offline, nothing is cleared.
  useEffect(() => {
    void import("@/lib/offline/session-end")
      .then((m) => (m.rememberedSignedInUser() ? fetchJson("/api/account") : null))
      .catch(() => undefined);
  }, []);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(null);
    try {
      const code = needsCode ? String(form.get("code") ?? "").trim() : undefined;
      await signInWithPassword(String(form.get("email")), String(form.get("password")), code);
      // One navigation: /compose is rendered afresh for the new session. A refresh on top of it could land
      // after the first render and remount Compose, wiping what the user had started to write.
      router.replace("/compose");
    } catch (e) {
      if (e instanceof ApiClientError && e.code === "two_factor_required") {
        setNeedsCode(true);
        setError(null);
      } else {
        setError(e instanceof ApiClientError ? e.message : "Sign-in failed. Try again.");
      }
      setPending(false);
    }
  }

  return (
    <Stack component="form" spacing={2} onSubmit={onSubmit} noValidate aria-label="Sign in">
      <Typography variant="h6" component="h1">
        Sign in
      </Typography>
      {error && <InlineMessage tone="error">{error}</InlineMessage>}
      {/* Hidden, not removed, in the code step: the second attempt sends the same email and password. */}
      <Stack spacing={2} sx={needsCode ? { display: "none" } : undefined}>
        <TextField
          name="email"
          type="email"
          label="Email"
          autoComplete="email"
          required
          autoFocus
          fullWidth
        />
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
      </Stack>
      {needsCode && (
        <>
          <Typography variant="body2" color="text.secondary">
            Two-factor sign-in is on for this account. Enter the 6-digit code from your authenticator app, or
            one of your recovery codes.
          </Typography>
          <TextField
            name="code"
            label="Authentication code"
            autoComplete="one-time-code"
            slotProps={{ htmlInput: { inputMode: "text", maxLength: 32, autoCapitalize: "off" } }}
            required
            autoFocus
            fullWidth
          />
        </>
      )}
      <Button type="submit" variant="contained" size="large" disabled={pending}>
        {pending ? "Signing in…" : needsCode ? "Verify and sign in" : "Sign in"}
      </Button>
      {needsCode && (
        <Button onClick={() => setNeedsCode(false)} disabled={pending}>
          Use another account
        </Button>
      )}
      <Typography variant="body2">
        New here?{" "}
        <Link component={NextLink} href="/sign-up">
          Create an account
        </Link>
      </Typography>
    </Stack>
  );
}
