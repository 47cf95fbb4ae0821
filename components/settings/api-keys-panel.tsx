"use client";
import Alert from "@mui/material/Alert";
import Button from "@mui/material/Button";
import Checkbox from "@mui/material/Checkbox";
import Chip from "@mui/material/Chip";
import FormControlLabel from "@mui/material/FormControlLabel";
import FormGroup from "@mui/material/FormGroup";
import FormHelperText from "@mui/material/FormHelperText";
import FormLabel from "@mui/material/FormLabel";
import List from "@mui/material/List";
import ListItem from "@mui/material/ListItem";
import ListItemText from "@mui/material/ListItemText";
import Paper from "@mui/material/Paper";
import Stack from "@mui/material/Stack";
import SelectField from "@/components/ui/select-field";
import TextField from "@/components/ui/text-field";
import Typography from "@mui/material/Typography";
import { LoadedList } from "@/components/settings/loaded-list";
import { useLoadedList } from "@/components/settings/use-loaded-list";
import { useState, type FormEvent } from "react";
import { SecretShownOnce } from "@/components/settings/secret-shown-once";
import { formatDateTime } from "@/components/ui/format";
import type { ApiKeyView } from "@/lib/api-keys/keys";
import { API_KEY_SCOPES, SCOPE_DESCRIPTIONS, type ApiKeyScope } from "@/lib/api-keys/scopes";
import { ApiClientError, fetchJson } from "@/lib/api/client";

const EXPIRY_CHOICES = [
  { value: "never", label: "Never" },
  { value: "30", label: "In 30 days" },
  { value: "90", label: "In 90 days" },
  { value: "365", label: "In a year" },
] as const;

function keyState(key: ApiKeyView): { label: string; color: "success" | "default" | "warning" } {
  if (key.revokedAt) return { label: "Revoked", color: "default" };
  if (key.expiresAt && Date.parse(key.expiresAt) <= Date.now()) return { label: "Expired", color: "warning" };
  return { label: "Active", color: "success" };
}

/** Settings → API keys: create (with the password or a two-factor code), list, revoke. */
export function ApiKeysPanel() {
  const {
    items: keys,
    update: updateKeys,
    error: loadError,
    reload: load,
  } = useLoadedList<ApiKeyView>("/api/account/api-keys", "apiKeys", "Could not load your API keys.");
  const [scopes, setScopes] = useState<ApiKeyScope[]>(["messages:send", "messages:read", "senders:read"]);
  const [useCode, setUseCode] = useState(false);
  const [created, setCreated] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<Record<string, string[]>>({});
  const [busy, setBusy] = useState(false);

  async function create(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const days = String(data.get("expiry") ?? "never");
    setBusy(true);
    setError(null);
    setFields({});
    setCreated(null);
    try {
      const secret = String(data.get("secret") ?? "");
      const result = await fetchJson<{ key: string; apiKey: ApiKeyView }>("/api/account/api-keys", {
        method: "POST",
        json: {
          name: String(data.get("name") ?? ""),
          scopes,
          expiresAt: days === "never" ? null : new Date(Date.now() + Number(days) * 86_400_000).toISOString(),
          ...(useCode ? { code: secret } : { password: secret }),
        },
      });
      setCreated(result.key);
      form.reset();
      await load();
    } catch (e) {
      setError(e instanceof ApiClientError ? e.message : "Could not create the key.");
      if (e instanceof ApiClientError) setFields(e.fields);
    } finally {
      setBusy(false);
    }
  }

  async function revoke(key: ApiKeyView) {
    if (!window.confirm(`Revoke "${key.name}"? Anything using it stops working at once.`)) return;
    setError(null);
    try {
      const { apiKey } = await fetchJson<{ apiKey: ApiKeyView }>(`/api/account/api-keys/${key.id}`, {
        method: "DELETE",
      });
      updateKeys((list) => list.map((k) => (k.id === apiKey.id ? apiKey : k)));
    } catch (e) {
      setError(e instanceof ApiClientError ? e.message : "Could not revoke the key.");
    }
  }

  const toggleScope = (scope: ApiKeyScope, on: boolean) =>
    setScopes((list) => (on ? [...new Set([...list, scope])] : list.filter((s) => s !== scope)));

  return (
    <Stack spacing={2} sx={{ maxWidth: 900 }}>
      <Typography variant="h6" component="h2">
        API keys
      </Typography>
      <Paper variant="outlined" sx={{ p: 2 }}>
        <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
          Keys let your own programs use the <a href="/settings/api-reference">SecureVault API</a>. Each key
          is shown once; store it like a password.
        </Typography>
        <Stack component="form" onSubmit={create} aria-label="Create API key" spacing={2}>
          <TextField
            name="name"
            label="Key name"
            placeholder="CRM integration"
            required
            error={!!fields.name}
            helperText={fields.name?.[0]}
            slotProps={{ htmlInput: { maxLength: 100 } }}
          />
          <div>
            <FormLabel component="legend">What the key may do</FormLabel>
            <FormGroup>
              {API_KEY_SCOPES.map((scope) => (
                <FormControlLabel
                  key={scope}
                  control={
                    <Checkbox
                      checked={scopes.includes(scope)}
                      onChange={(e) => toggleScope(scope, e.target.checked)}
                    />
                  }
                  label={`${scope} — ${SCOPE_DESCRIPTIONS[scope]}`}
                />
              ))}
            </FormGroup>
            {fields.scopes && <FormHelperText error>{fields.scopes[0]}</FormHelperText>}
          </div>
          <SelectField name="expiry" label="Expires" defaultValue="never" sx={{ maxWidth: 240 }}>
            {EXPIRY_CHOICES.map((c) => (
              <option key={c.value} value={c.value}>
                {c.label}
              </option>
            ))}
          </SelectField>
          <Stack
            direction={{ xs: "column", sm: "row" }}
            spacing={2}
            sx={{ alignItems: { sm: "flex-start" } }}
          >
            <TextField
              name="secret"
              type={useCode ? "text" : "password"}
              label={useCode ? "Two-factor code" : "Your password"}
              autoComplete={useCode ? "one-time-code" : "current-password"}
              required
              fullWidth
              error={!!(fields.password ?? fields.code)}
              helperText={(fields.password ?? fields.code)?.[0] ?? "Creating a key asks who you are."}
            />
            <Button onClick={() => setUseCode((v) => !v)} sx={{ flexShrink: 0, mt: { sm: 1 } }}>
              {useCode ? "Use my password" : "Use a two-factor code"}
            </Button>
          </Stack>
          <div>
            <Button type="submit" variant="contained" disabled={busy || scopes.length === 0}>
              {busy ? "Creating…" : "Create key"}
            </Button>
          </div>
        </Stack>
        {error && (
          <Alert severity="error" sx={{ mt: 2 }}>
            {error}
          </Alert>
        )}
        {created && (
          <SecretShownOnce
            label="API key"
            value={created}
            note="Copy your key now: it is shown only this once. Send it as Authorization: Bearer <key>."
          />
        )}
      </Paper>
      <Paper variant="outlined">
        <LoadedList
          error={loadError}
          onRetry={() => void load()}
          items={keys}
          loadingText="Loading API keys…"
          emptyText="No API keys yet."
        >
          {(keys) => (
            <List aria-label="API keys">
              {keys.map((key) => {
                const state = keyState(key);
                return (
                  <ListItem
                    key={key.id}
                    divider
                    secondaryAction={
                      !key.revokedAt && (
                        <Button
                          size="small"
                          color="error"
                          onClick={() => void revoke(key)}
                          aria-label={`Revoke ${key.name}`}
                        >
                          Revoke
                        </Button>
                      )
                    }
                    sx={{ pr: 12 }}
                  >
                    <ListItemText
                      primary={
                        <Stack direction="row" spacing={1} sx={{ alignItems: "center", flexWrap: "wrap" }}>
                          <span>{key.name}</span>
                          <Chip size="small" label={state.label} color={state.color} />
                        </Stack>
                      }
                      secondary={
                        <>
                          <code>{key.prefix}…</code> · {key.scopes.join(", ")} · created{" "}
                          {formatDateTime(key.createdAt)}
                          {" · "}
                          {key.lastUsedAt ? `last used ${formatDateTime(key.lastUsedAt)}` : "never used"}
                          {key.expiresAt && ` · expires ${formatDateTime(key.expiresAt)}`}
                        </>
                      }
                    />
                  </ListItem>
                );
              })}
            </List>
          )}
        </LoadedList>
      </Paper>
    </Stack>
  );
}
