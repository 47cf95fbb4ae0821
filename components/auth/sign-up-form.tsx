"use client";
import Alert from "@mui/material/Alert";
import Button from "@mui/material/Button";
import Link from "@mui/material/Link";
import Stack from "@mui/material/Stack";
import TextField from "@/components/ui/text-field";
import Typography from "@mui/material/Typography";
import NextLink from "next/link";
import { useRouter } from "next/navigation";
import { useState, useSyncExternalStore, type FormEvent } from "react";
import { ApiClientError, fetchJson } from "@/lib/api/client";
import { signInWithPassword } from "@/lib/auth/client-sign-in";
import { linkFragmentValue, subscribeToHashChange } from "@/lib/auth/link-fragment";
import type { SignUpAvailability } from "@/lib/auth/sign-up-availability";

/** Sign-up as SIGNUP_MODE allows; an invitation link (/sign-up#invite=…) carries its token in the fragment. */
export function SignUpForm({ availability }: { availability: SignUpAvailability }) {
  const router = useRouter();
  // null on the server and before hydration, "" without an invitation.
  const inviteToken = useSyncExternalStore(
    subscribeToHashChange,
    () => linkFragmentValue(window.location.hash, "invite") ?? "",
    () => null,
  );
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
        json: {
          name: String(form.get("name") || ""),
          email,
          password,
          inviteToken: inviteToken || undefined,
        },
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

  const { mode, firstAccount } = availability;
  const barred = !firstAccount && (mode === "closed" || (mode === "invite" && inviteToken === ""));
  if (barred) {
    return (
      <Stack spacing={2}>
        <Typography variant="h6" component="h1">
          Create your account
        </Typography>
        <Alert severity="info">
          {mode === "closed"
            ? "Sign-up is closed on this server. Ask its administrator for an account."
            : "Sign-up on this server is by invitation. Open the link from your invitation email, or ask the administrator for one."}
        </Alert>
        <Typography variant="body2">
          Already have an account?{" "}
          <Link component={NextLink} href="/sign-in">
            Sign in
          </Link>
        </Typography>
      </Stack>
    );
  }

  return (
    <Stack component="form" spacing={2} onSubmit={onSubmit} noValidate aria-label="Create account">
      <Typography variant="h6" component="h1">
        Create your account
      </Typography>
      {firstAccount && (
        <Alert severity="info">
          This is the first account on this server: it becomes the administrator, who can invite others.
        </Alert>
      )}
      {!firstAccount && inviteToken && <Alert severity="success">You have been invited. Welcome!</Alert>}
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
