"use client";
import Alert from "@mui/material/Alert";
import Button from "@mui/material/Button";
import Chip from "@mui/material/Chip";
import List from "@mui/material/List";
import ListItem from "@mui/material/ListItem";
import ListItemText from "@mui/material/ListItemText";
import Paper from "@mui/material/Paper";
import Stack from "@mui/material/Stack";
import TextField from "@/components/ui/text-field";
import Typography from "@mui/material/Typography";
import { LoadedList } from "@/components/settings/loaded-list";
import { useLoadedList } from "@/components/settings/use-loaded-list";
import { useState, type FocusEvent, type FormEvent } from "react";
import { formatDateTime } from "@/components/ui/format";
import { ApiClientError, fetchJson } from "@/lib/api/client";
import type { InvitationStatus, InvitationView } from "@/lib/invitations/invitations";

type Created = { link: string; email: string | null; emailed: boolean };

const modeText = {
  open: "Sign-up is open (SIGNUP_MODE=open): anyone can create an account. Invitations still work.",
  invite:
    "Sign-up is by invitation (SIGNUP_MODE=invite): only someone with one of these links can create an account.",
  closed: "Sign-up is closed (SIGNUP_MODE=closed): nobody can create an account, invitations included.",
} as const;

const statusColor: Record<InvitationStatus, "success" | "default" | "warning"> = {
  pending: "success",
  used: "default",
  revoked: "warning",
  expired: "default",
};

/** The administrator's invitations: a single-use sign-up link to copy (and mail, given an address). */
export function InvitationsPanel({ mode }: { mode: keyof typeof modeText }) {
  const {
    items: invitations,
    update: updateInvitations,
    error: loadError,
    reload: load,
  } = useLoadedList<InvitationView>("/api/invitations", "invitations", "Could not load the invitations.");
  const [created, setCreated] = useState<Created | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<Record<string, string[]>>({});
  const [busy, setBusy] = useState(false);
  const [copied, setCopied] = useState(false);

  async function create(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const email = String(new FormData(form).get("email") ?? "").trim();
    setBusy(true);
    setError(null);
    setFields({});
    setCopied(false);
    try {
      const result = await fetchJson<{ invitation: InvitationView; link: string; emailed: boolean }>(
        "/api/invitations",
        { method: "POST", json: email ? { email } : {} },
      );
      setCreated({ link: result.link, email: result.invitation.email, emailed: result.emailed });
      form.reset();
      await load();
    } catch (e) {
      setError(e instanceof ApiClientError ? e.message : "Could not create the invitation.");
      if (e instanceof ApiClientError) setFields(e.fields);
    } finally {
      setBusy(false);
    }
  }

  async function revoke(id: string) {
    setError(null);
    try {
      const { invitation } = await fetchJson<{ invitation: InvitationView }>(`/api/invitations/${id}`, {
        method: "DELETE",
      });
      updateInvitations((list) => list.map((i) => (i.id === id ? invitation : i)));
    } catch (e) {
      setError(e instanceof ApiClientError ? e.message : "Could not revoke the invitation.");
    }
  }

  async function copy(link: string) {
    try {
      await navigator.clipboard.writeText(link);
      setCopied(true);
    } catch {
      setCopied(false);
      setError("Copying is not allowed here: select the link and copy it.");
    }
  }

  return (
    <Stack spacing={2} sx={{ maxWidth: 900 }}>
      <Typography variant="h6" component="h2">
        Invitations
      </Typography>
      <Paper variant="outlined" sx={{ p: 2 }}>
        <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
          {modeText[mode]}
        </Typography>
        <Stack
          component="form"
          onSubmit={create}
          aria-label="Create invitation"
          direction={{ xs: "column", sm: "row" }}
          spacing={2}
          sx={{ alignItems: { sm: "flex-start" } }}
        >
          <TextField
            name="email"
            type="email"
            label="Email address (optional)"
            autoComplete="off"
            fullWidth
            error={!!fields.email}
            helperText={
              fields.email?.[0] ?? "Given an address, the link is also emailed, and works for it only."
            }
          />
          <Button
            type="submit"
            variant="contained"
            disabled={busy || mode === "closed"}
            sx={{ flexShrink: 0 }}
          >
            {busy ? "Creating…" : "Create invitation"}
          </Button>
        </Stack>
        {error && (
          <Alert severity="error" sx={{ mt: 2 }}>
            {error}
          </Alert>
        )}
        {created && (
          <Alert severity="success" sx={{ mt: 2 }} data-testid="invitation-link">
            <Typography variant="body2" sx={{ mb: 1 }}>
              {created.emailed
                ? `Invitation emailed to ${created.email}. You can also share the link yourself:`
                : "Share this link with the person you invite. It is shown only now, works once, and expires."}
            </Typography>
            <Stack direction={{ xs: "column", sm: "row" }} spacing={1}>
              <TextField
                value={created.link}
                label="Invitation link"
                size="small"
                fullWidth
                slotProps={{
                  htmlInput: {
                    readOnly: true,
                    onFocus: (e: FocusEvent<HTMLInputElement>) => e.currentTarget.select(),
                  },
                }}
              />
              <Button variant="outlined" onClick={() => copy(created.link)} sx={{ flexShrink: 0 }}>
                {copied ? "Copied" : "Copy link"}
              </Button>
            </Stack>
          </Alert>
        )}
      </Paper>
      <Paper variant="outlined">
        <LoadedList
          error={loadError}
          onRetry={() => void load()}
          items={invitations}
          loadingText="Loading invitations…"
          emptyText="No invitations yet."
        >
          {(invitations) => (
            <List aria-label="Invitations" data-testid="invitations-list">
              {invitations.map((invitation) => (
                <ListItem
                  key={invitation.id}
                  divider
                  secondaryAction={
                    invitation.status === "pending" ? (
                      <Button size="small" color="warning" onClick={() => void revoke(invitation.id)}>
                        Revoke
                      </Button>
                    ) : undefined
                  }
                >
                  <ListItemText
                    primary={
                      <Stack direction="row" spacing={1} sx={{ alignItems: "center", flexWrap: "wrap" }}>
                        <span>{invitation.email ?? "Link only"}</span>
                        <Chip size="small" label={invitation.status} color={statusColor[invitation.status]} />
                      </Stack>
                    }
                    secondary={describe(invitation)}
                    sx={{ pr: invitation.status === "pending" ? 9 : 0 }}
                  />
                </ListItem>
              ))}
            </List>
          )}
        </LoadedList>
      </Paper>
    </Stack>
  );
}

function describe(invitation: InvitationView): string {
  if (invitation.status === "used" && invitation.usedAt)
    return `Used by ${invitation.usedByEmail ?? "someone"} on ${formatDateTime(invitation.usedAt)}`;
  if (invitation.status === "revoked") return `Revoked · created ${formatDateTime(invitation.createdAt)}`;
  if (invitation.status === "expired") return `Expired on ${formatDateTime(invitation.expiresAt)}`;
  return `Expires on ${formatDateTime(invitation.expiresAt)}`;
}
