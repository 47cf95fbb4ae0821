"use client";
import Alert from "@mui/material/Alert";
import Box from "@mui/material/Box";
import Button from "@mui/material/Button";
import Dialog from "@mui/material/Dialog";
import DialogActions from "@mui/material/DialogActions";
import DialogContent from "@mui/material/DialogContent";
import DialogTitle from "@mui/material/DialogTitle";
import MenuItem from "@mui/material/MenuItem";
import Stack from "@mui/material/Stack";
import TextField from "@mui/material/TextField";
import Typography from "@mui/material/Typography";
import useMediaQuery from "@mui/material/useMediaQuery";
import { useState, type ChangeEvent, type FormEvent } from "react";
import { ApiClientError, fetchJson } from "@/lib/api/client";
import { securityLabels, senderPresets, type PresetId } from "@/lib/senders/presets";
import type { SenderView } from "@/lib/senders/senders";

type Props = {
  open: boolean;
  editing: SenderView | null;
  onClose: () => void;
  onSaved: (sender: SenderView) => void;
};

/** Add a sender from a preset (or a custom server), or edit an existing one. */
export function SenderDialog({ open, editing, onClose, onSaved }: Props) {
  const fullScreen = useMediaQuery("(max-width:600px)");
  const [preset, setPreset] = useState<PresetId>((editing?.preset as PresetId) ?? "gmail");
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<Record<string, string[]>>({});
  const [pending, setPending] = useState<"testing" | "saving" | null>(null);
  // The reason the connection test before saving failed; saving then takes a second, deliberate choice.
  const [testFailure, setTestFailure] = useState<string | null>(null);
  const isSandbox = editing?.kind === "sandbox";
  const showServer = !isSandbox && preset === "custom";
  // Where the saved password goes, as edited: changing any of these needs the password again (the server
  // refuses otherwise), so the field says so before Save.
  const [serverEdits, setServerEdits] = useState<Partial<Record<ServerField, string>>>({});
  const passwordNeeded =
    !!editing &&
    !isSandbox &&
    Object.entries(serverEdits).some(([name, value]) => {
      const stored = String(editing[name as ServerField] ?? "");
      // An emptied username keeps the stored one.
      return name === "username" && value.trim() === "" ? false : value.trim() !== stored;
    });
  const trackServer = (name: ServerField) => (event: ChangeEvent<HTMLInputElement>) =>
    setServerEdits((edits) => ({ ...edits, [name]: event.target.value }));

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const saveAnyway = (event.nativeEvent as SubmitEvent).submitter?.getAttribute("value") === "anyway";
    const form = new FormData(event.currentTarget);
    const value = (name: string) => {
      const v = form.get(name);
      return typeof v === "string" && v.trim() !== "" ? v : undefined;
    };
    const body: Record<string, unknown> = {
      label: value("label"),
      fromName: value("fromName"),
      ...(isSandbox
        ? {}
        : { fromEmail: value("fromEmail"), username: value("username"), password: value("password") }),
      ...(showServer ? { host: value("host"), port: value("port"), security: value("security") } : {}),
      ...(isSandbox ? {} : limitValues(form, Boolean(editing))),
    };
    if (!editing) body.preset = preset;
    setError(null);
    setFields({});
    setTestFailure(null);
    try {
      // The connection test runs first (the built-in test mailbox needs none): a broken sender is saved
      // only when the user chooses to after reading why it failed.
      if (!isSandbox && !saveAnyway) {
        setPending("testing");
        const { result } = await fetchJson<{ result: { ok: boolean; message: string } }>(
          editing ? `/api/senders/${editing.id}/check` : "/api/senders/check",
          { method: "POST", json: body },
        );
        if (!result.ok) {
          setTestFailure(result.message);
          return;
        }
      }
      setPending("saving");
      const { sender } = await fetchJson<{ sender: SenderView }>(
        editing ? `/api/senders/${editing.id}` : "/api/senders",
        {
          method: editing ? "PATCH" : "POST",
          json: body,
        },
      );
      onSaved(sender);
    } catch (e) {
      setError(e instanceof ApiClientError ? e.message : "Could not save the sender.");
      if (e instanceof ApiClientError) setFields(e.fields);
    } finally {
      setPending(null);
    }
  }

  const err = (name: string) => ({ error: !!fields[name], helperText: fields[name]?.[0] });

  return (
    <Dialog open={open} onClose={onClose} fullScreen={fullScreen} fullWidth maxWidth="sm">
      <form onSubmit={onSubmit} noValidate aria-label={editing ? "Edit sender" : "Add sender"}>
        <DialogTitle>{editing ? "Edit sender" : "Add a sender"}</DialogTitle>
        <DialogContent>
          <Stack spacing={2} sx={{ pt: 1 }}>
            {error && <Alert severity="error">{error}</Alert>}
            {testFailure && (
              <Alert severity="warning" data-testid="sender-test-failed">
                The connection test failed: {testFailure} Fix the settings and save again, or save it anyway —
                messages from it will wait until it works.
              </Alert>
            )}
            {!editing && (
              <TextField
                select
                label="Provider"
                value={preset}
                onChange={(e) => setPreset(e.target.value as PresetId)}
              >
                {Object.values(senderPresets).map((p) => (
                  <MenuItem key={p.id} value={p.id}>
                    {p.name}
                  </MenuItem>
                ))}
              </TextField>
            )}
            {!isSandbox && (
              <TextField
                name="fromEmail"
                type="email"
                label="Email address"
                required
                defaultValue={editing?.fromEmail}
                {...err("fromEmail")}
              />
            )}
            <TextField
              name="fromName"
              label="Your name (shown to recipients)"
              defaultValue={editing?.fromName ?? ""}
              {...err("fromName")}
            />
            <TextField
              name="label"
              label="Label"
              placeholder="Work Gmail"
              defaultValue={editing?.label ?? ""}
              {...err("label")}
            />
            {showServer && (
              <>
                <TextField
                  name="host"
                  label="SMTP server"
                  placeholder="smtp.example.com"
                  required
                  defaultValue={editing?.host ?? ""}
                  onChange={trackServer("host")}
                  {...err("host")}
                />
                <Stack direction="row" spacing={2}>
                  <TextField
                    name="port"
                    label="Port"
                    type="number"
                    required
                    defaultValue={editing?.port ?? 587}
                    onChange={trackServer("port")}
                    sx={{ width: 120 }}
                    {...err("port")}
                  />
                  <TextField
                    name="security"
                    select
                    label="Security"
                    defaultValue={editing?.security ?? "starttls"}
                    onChange={trackServer("security")}
                    fullWidth
                    {...err("security")}
                  >
                    {Object.entries(securityLabels).map(([id, label]) => (
                      <MenuItem key={id} value={id}>
                        {label}
                      </MenuItem>
                    ))}
                  </TextField>
                </Stack>
              </>
            )}
            {!isSandbox && (
              <>
                <TextField
                  name="username"
                  label="Username (defaults to the email address)"
                  defaultValue={editing?.username ?? ""}
                  onChange={trackServer("username")}
                  {...err("username")}
                />
                <TextField
                  name="password"
                  type="password"
                  label={
                    !editing
                      ? "Password"
                      : passwordNeeded
                        ? "Password (needed again for the new server or username)"
                        : "New password (leave empty to keep)"
                  }
                  required={!editing || passwordNeeded}
                  autoComplete="new-password"
                  {...err("password")}
                  helperText={
                    fields.password?.[0] ??
                    (passwordNeeded
                      ? "The saved password is only ever sent to the server and username it was entered for."
                      : senderPresets[(editing?.preset as PresetId) ?? preset]?.passwordHint)
                  }
                />
                <Box component="details" sx={{ "& summary": { cursor: "pointer", py: 0.5 } }}>
                  <Typography component="summary" variant="body2" color="text.secondary">
                    Sending limits
                  </Typography>
                  <Typography variant="body2" color="text.secondary" sx={{ my: 1 }}>
                    Delivery keeps to your provider&apos;s limits so the account is not blocked. Leave a field
                    empty for the provider&apos;s default
                    {editing ? ` (now ${describeLimits(editing.limits)})` : ""}.
                  </Typography>
                  <Stack direction={{ xs: "column", sm: "row" }} spacing={2}>
                    {limitInputs.map(({ name, label, step }) => (
                      <TextField
                        key={name}
                        name={name}
                        label={label}
                        type="number"
                        defaultValue={editing?.limitOverrides[name] ?? ""}
                        slotProps={{ htmlInput: { min: 0, step } }}
                        {...err(name)}
                      />
                    ))}
                  </Stack>
                </Box>
              </>
            )}
          </Stack>
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          {testFailure && (
            <Button type="submit" value="anyway" color="warning" disabled={pending !== null}>
              Save anyway
            </Button>
          )}
          <Button type="submit" variant="contained" disabled={pending !== null}>
            {pending === "testing" ? "Testing the connection…" : pending === "saving" ? "Saving…" : "Save"}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}

type ServerField = "host" | "port" | "security" | "username";

const limitInputs = [
  { name: "maxConnections", label: "Connections", step: 1 },
  { name: "maxPerSecond", label: "Messages per second", step: "any" },
  { name: "maxPerDay", label: "Messages per day", step: 1 },
] as const;

/** The limit fields as the API takes them: a number, or null (editing) to go back to the provider's default. */
function limitValues(form: FormData, editing: boolean): Record<string, number | null> {
  const values: Record<string, number | null> = {};
  for (const { name } of limitInputs) {
    const raw = String(form.get(name) ?? "").trim();
    if (raw) values[name] = Number(raw);
    else if (editing) values[name] = null;
  }
  return values;
}

function describeLimits(limits: SenderView["limits"]): string {
  const parts = [`${limits.maxConnections} connection${limits.maxConnections === 1 ? "" : "s"}`];
  if (limits.maxPerSecond !== null) parts.push(`${limits.maxPerSecond}/s`);
  if (limits.maxPerDay !== null) parts.push(`${limits.maxPerDay.toLocaleString()}/day`);
  return parts.join(", ");
}
