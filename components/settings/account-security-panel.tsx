"use client";
import Alert from "@mui/material/Alert";
import Button from "@mui/material/Button";
import Paper from "@mui/material/Paper";
import Stack from "@mui/material/Stack";
import TextField from "@/components/ui/text-field";
import Typography from "@mui/material/Typography";
import dynamic from "next/dynamic";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { useUser } from "@/components/layout/user-context";
import { forgetThisDevice } from "@/components/settings/forget-device";
import { TwoFactorPanel } from "@/components/settings/two-factor-panel";
import { ApiClientError, fetchJson } from "@/lib/api/client";
import { currentPushSubscription } from "@/lib/push/browser-push";

// The confirmations load when asked for, not with the page (docs/performance.md).
const SignOutEverywhereDialog = dynamic(
  () => import("@/components/settings/account-confirm-dialogs").then((m) => m.SignOutEverywhereDialog),
  { ssr: false },
);
const DeleteAccountDialog = dynamic(
  () => import("@/components/settings/account-confirm-dialogs").then((m) => m.DeleteAccountDialog),
  { ssr: false },
);

type Notice = { tone: "success" | "error"; text: string } | null;
const errorText = (e: unknown, fallback: string) => (e instanceof ApiClientError ? e.message : fallback);

/** Password, sessions, export and deletion: everything about the account itself. */
export function AccountSecurityPanel() {
  return (
    <Stack spacing={2} sx={{ maxWidth: 900 }}>
      <Typography variant="h6" component="h2">
        Account and security
      </Typography>
      <ChangePasswordForm />
      <TwoFactorPanel />
      <SessionsAndData />
    </Stack>
  );
}

function ChangePasswordForm() {
  const [busy, setBusy] = useState(false);
  const [fields, setFields] = useState<Record<string, string[]>>({});
  const [notice, setNotice] = useState<Notice>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    // Read from the fields themselves: what they show is what is sent, even when typed while the page was
    // still starting up.
    const form = event.currentTarget;
    const values = new FormData(form);
    setBusy(true);
    setNotice(null);
    setFields({});
    try {
      await fetchJson("/api/account/password", {
        method: "POST",
        json: {
          currentPassword: String(values.get("current") ?? ""),
          newPassword: String(values.get("next") ?? ""),
        },
      });
      form.reset();
      await keepThisDeviceNotified();
      setNotice({ tone: "success", text: "Password changed. Your other devices have been signed out." });
    } catch (e) {
      if (e instanceof ApiClientError) setFields(e.fields);
      setNotice({ tone: "error", text: errorText(e, "Could not change the password.") });
    } finally {
      setBusy(false);
    }
  }

  return (
    <Paper
      variant="outlined"
      sx={{ p: 2 }}
      component="form"
      onSubmit={submit}
      aria-labelledby="change-password"
    >
      <Typography id="change-password" variant="subtitle1" component="h3" sx={{ mb: 1 }}>
        Change password
      </Typography>
      <Stack spacing={2} direction={{ xs: "column", sm: "row" }}>
        <TextField
          label="Current password"
          type="password"
          autoComplete="current-password"
          name="current"
          error={!!fields.currentPassword}
          helperText={fields.currentPassword?.[0]}
          required
          fullWidth
        />
        <TextField
          label="New password"
          type="password"
          autoComplete="new-password"
          name="next"
          error={!!fields.newPassword}
          helperText={fields.newPassword?.[0] ?? "At least 10 characters."}
          required
          fullWidth
        />
      </Stack>
      <Button type="submit" variant="contained" disabled={busy} sx={{ mt: 2 }}>
        Change password
      </Button>
      {notice && (
        <Alert severity={notice.tone} sx={{ mt: 2 }} role="status">
          {notice.text}
        </Alert>
      )}
    </Paper>
  );
}

// A password change removes every device's push subscription (the server cannot tell which one is this
// browser); this browser, still signed in, registers its own again.
async function keepThisDeviceNotified() {
  const subscription = await currentPushSubscription().catch(() => null);
  if (!subscription) return;
  await fetchJson("/api/push/subscriptions", { method: "POST", json: subscription.toJSON() }).catch(() => {
    // Settings → Notifications offers to turn notifications on again.
  });
}

function SessionsAndData() {
  const user = useUser();
  const router = useRouter();
  const [confirm, setConfirm] = useState<"signout" | "delete" | null>(null);
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<Notice>(null);

  async function leave() {
    await forgetThisDevice(user.id);
    router.replace("/sign-in");
    router.refresh();
  }

  async function signOutEverywhere() {
    setBusy(true);
    try {
      await fetchJson("/api/account/sessions", { method: "DELETE" });
      await leave();
    } catch (e) {
      setNotice({ tone: "error", text: errorText(e, "Could not sign out everywhere.") });
      setBusy(false);
      setConfirm(null);
    }
  }

  async function deleteAccount() {
    setBusy(true);
    try {
      await fetchJson("/api/account", { method: "DELETE", json: { password } });
      await leave();
    } catch (e) {
      setNotice({ tone: "error", text: errorText(e, "Could not delete the account.") });
      setBusy(false);
    }
  }

  return (
    <Paper variant="outlined" sx={{ p: 2 }}>
      <Stack spacing={2}>
        <div>
          <Typography variant="subtitle1" component="h3">
            Your data
          </Typography>
          <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
            A zip of your account, senders (without passwords), messages with their history, Mailbox messages
            as .eml files and AI usage.
          </Typography>
          {/* A plain link: the browser downloads the zip with the session cookie, no script needed. */}
          <Button variant="outlined" href="/api/account/export" download>
            Export my data
          </Button>
        </div>
        <div>
          <Typography variant="subtitle1" component="h3">
            Sessions
          </Typography>
          <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
            Signs out every browser and phone signed in to your account, this one included.
          </Typography>
          <Button variant="outlined" onClick={() => setConfirm("signout")}>
            Sign out everywhere
          </Button>
        </div>
        <div>
          <Typography variant="subtitle1" component="h3">
            Delete account
          </Typography>
          <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
            Removes your account, senders, messages, Mailbox and history for good.
          </Typography>
          <Button variant="outlined" color="error" onClick={() => setConfirm("delete")}>
            Delete my account
          </Button>
        </div>
        {notice && (
          <Alert severity={notice.tone} role="status">
            {notice.text}
          </Alert>
        )}
      </Stack>

      {confirm === "signout" && (
        <SignOutEverywhereDialog
          busy={busy}
          onCancel={() => setConfirm(null)}
          onConfirm={() => void signOutEverywhere()}
        />
      )}
      {confirm === "delete" && (
        <DeleteAccountDialog
          password={password}
          onPassword={setPassword}
          error={notice?.tone === "error" ? notice.text : null}
          busy={busy}
          onCancel={() => setConfirm(null)}
          onConfirm={() => void deleteAccount()}
        />
      )}
    </Paper>
  );
}
