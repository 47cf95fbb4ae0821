"use client";
import Alert from "@mui/material/Alert";
import Button from "@mui/material/Button";
import Checkbox from "@mui/material/Checkbox";
import Chip from "@mui/material/Chip";
import FormControlLabel from "@mui/material/FormControlLabel";
import FormGroup from "@mui/material/FormGroup";
import FormHelperText from "@mui/material/FormHelperText";
import FormLabel from "@mui/material/FormLabel";
import Paper from "@mui/material/Paper";
import Stack from "@mui/material/Stack";
import SelectField from "@/components/ui/select-field";
import TextField from "@/components/ui/text-field";
import Typography from "@mui/material/Typography";
import { LoadedList } from "@/components/settings/loaded-list";
import { useLoadedList } from "@/components/settings/use-loaded-list";
import { useState, type FormEvent } from "react";
import { SecretShownOnce } from "@/components/settings/secret-shown-once";
import { WebhookDeliveries } from "@/components/settings/webhook-deliveries";
import { ApiClientError, fetchJson } from "@/lib/api/client";
import type { WebhookView } from "@/lib/webhooks/endpoints";
import { CHAT_EVENT_TYPES, EVENT_DESCRIPTIONS, SUBSCRIBABLE_EVENT_TYPES } from "@/lib/webhooks/event-types";

type Kind = WebhookView["kind"];
const KIND_LABELS: Record<Kind, string> = {
  standard: "Webhook (signed JSON)",
  slack: "Slack incoming webhook",
  discord: "Discord webhook",
};
const URL_HINTS: Record<Kind, string> = {
  standard: "A public https:// URL of yours. Each request is signed (Standard Webhooks).",
  slack: "From Slack: Apps → Incoming Webhooks, https://hooks.slack.com/services/…",
  discord: "From Discord: channel settings → Integrations → Webhooks, https://discord.com/api/webhooks/…",
};

/** Settings → Webhooks: endpoints for events, and Slack or Discord notifications about outcomes. */
export function WebhooksPanel() {
  const {
    items: hooks,
    error: loadError,
    reload: load,
  } = useLoadedList<WebhookView>("/api/webhooks", "webhooks", "Could not load your webhooks.");
  const [kind, setKind] = useState<Kind>("standard");
  const [events, setEvents] = useState<string[]>(["message.failed", "message.partially_delivered"]);
  const [secret, setSecret] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<Record<string, string[]>>({});
  const [busy, setBusy] = useState(false);
  const [open, setOpen] = useState<string | null>(null);

  const choices = kind === "standard" ? SUBSCRIBABLE_EVENT_TYPES : CHAT_EVENT_TYPES;

  async function create(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const url = String(new FormData(form).get("url") ?? "").trim();
    setBusy(true);
    setError(null);
    setNotice(null);
    setFields({});
    setSecret(null);
    try {
      const result = await fetchJson<{ webhook: WebhookView; secret: string | null }>("/api/webhooks", {
        method: "POST",
        json: { url, kind, events: events.filter((e) => (choices as readonly string[]).includes(e)) },
      });
      setSecret(result.secret);
      setNotice(result.secret ? null : "Added. Use “Send test” to see a notification arrive.");
      form.reset();
      await load();
    } catch (e) {
      setError(e instanceof ApiClientError ? e.message : "Could not add the webhook.");
      if (e instanceof ApiClientError) setFields(e.fields);
    } finally {
      setBusy(false);
    }
  }

  async function act(hook: WebhookView, action: "test" | "on" | "off" | "delete") {
    setError(null);
    setNotice(null);
    try {
      if (action === "test") {
        await fetchJson(`/api/webhooks/${hook.id}/test`, { method: "POST" });
        setNotice(`Test event queued for ${hook.url}.`);
        setOpen(hook.id);
      } else if (action === "delete") {
        if (!window.confirm(`Delete the webhook for ${hook.url}? Events waiting for it are dropped.`)) return;
        await fetchJson(`/api/webhooks/${hook.id}`, { method: "DELETE" });
      } else {
        await fetchJson(`/api/webhooks/${hook.id}`, { method: "PATCH", json: { enabled: action === "on" } });
      }
      await load();
    } catch (e) {
      setError(e instanceof ApiClientError ? e.message : "That did not work. Try again.");
    }
  }

  return (
    <Stack spacing={2} sx={{ maxWidth: 900 }}>
      <Typography variant="h6" component="h2">
        Webhooks and chat notifications
      </Typography>
      <Paper variant="outlined" sx={{ p: 2 }}>
        <Stack component="form" onSubmit={create} aria-label="Add webhook" spacing={2}>
          <SelectField
            label="Kind"
            value={kind}
            onChange={(e) => setKind(e.target.value as Kind)}
            sx={{ maxWidth: 320 }}
          >
            {(Object.keys(KIND_LABELS) as Kind[]).map((k) => (
              <option key={k} value={k}>
                {KIND_LABELS[k]}
              </option>
            ))}
          </SelectField>
          <TextField
            name="url"
            type="url"
            label="URL"
            required
            error={!!fields.url}
            helperText={fields.url?.[0] ?? URL_HINTS[kind]}
          />
          <div>
            <FormLabel component="legend">Events</FormLabel>
            <FormGroup>
              {choices.map((type) => (
                <FormControlLabel
                  key={type}
                  control={
                    <Checkbox
                      checked={events.includes(type)}
                      onChange={(e) =>
                        setEvents((list) =>
                          e.target.checked ? [...list, type] : list.filter((t) => t !== type),
                        )
                      }
                    />
                  }
                  label={`${type} — ${EVENT_DESCRIPTIONS[type]}`}
                />
              ))}
            </FormGroup>
            {fields.events && <FormHelperText error>{fields.events[0]}</FormHelperText>}
          </div>
          <div>
            <Button type="submit" variant="contained" disabled={busy}>
              {busy ? "Adding…" : "Add webhook"}
            </Button>
          </div>
        </Stack>
        {error && (
          <Alert severity="error" sx={{ mt: 2 }}>
            {error}
          </Alert>
        )}
        {notice && (
          <Alert severity="info" sx={{ mt: 2 }} role="status">
            {notice}
          </Alert>
        )}
        {secret && (
          <SecretShownOnce
            label="Signing secret"
            value={secret}
            note="Copy the signing secret now: it is shown only this once. Verify each request's webhook-signature with it."
          />
        )}
      </Paper>
      <Paper variant="outlined">
        <LoadedList
          error={loadError}
          onRetry={() => void load()}
          items={hooks}
          loadingText="Loading webhooks…"
          emptyText="No webhooks yet."
        >
          {(hooks) => (
            <Stack component="ul" aria-label="Webhooks" sx={{ listStyle: "none", m: 0, p: 0 }}>
              {hooks.map((hook) => (
                <Stack
                  component="li"
                  key={hook.id}
                  spacing={1}
                  sx={{ p: 2, borderBottom: 1, borderColor: "divider" }}
                >
                  <Stack direction="row" spacing={1} sx={{ alignItems: "center", flexWrap: "wrap" }}>
                    <Typography variant="body1" sx={{ wordBreak: "break-all" }}>
                      {hook.url}
                    </Typography>
                    <Chip size="small" label={KIND_LABELS[hook.kind]} />
                    <Chip
                      size="small"
                      label={hook.disabledAt ? "Off" : "On"}
                      color={hook.disabledAt ? "warning" : "success"}
                    />
                  </Stack>
                  <Typography variant="body2" color="text.secondary">
                    {hook.events.join(", ")}
                  </Typography>
                  {hook.disabledReason && (
                    <Alert severity="warning" variant="outlined">
                      {hook.disabledReason}
                    </Alert>
                  )}
                  <Stack direction="row" spacing={1} sx={{ flexWrap: "wrap" }}>
                    <Button size="small" onClick={() => void act(hook, "test")}>
                      Send test
                    </Button>
                    <Button size="small" onClick={() => void act(hook, hook.disabledAt ? "on" : "off")}>
                      {hook.disabledAt ? "Turn on" : "Turn off"}
                    </Button>
                    <Button
                      size="small"
                      onClick={() => setOpen(open === hook.id ? null : hook.id)}
                      aria-expanded={open === hook.id}
                    >
                      {open === hook.id ? "Hide deliveries" : "Deliveries"}
                    </Button>
                    <Button size="small" color="error" onClick={() => void act(hook, "delete")}>
                      Delete
                    </Button>
                  </Stack>
                  {open === hook.id && <WebhookDeliveries webhookId={hook.id} />}
                </Stack>
              ))}
            </Stack>
          )}
        </LoadedList>
      </Paper>
    </Stack>
  );
}
