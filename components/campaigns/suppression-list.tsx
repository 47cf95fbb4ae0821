"use client";
import Alert from "@mui/material/Alert";
import Button from "@mui/material/Button";
import IconButton from "@mui/material/IconButton";
import List from "@mui/material/List";
import ListItem from "@mui/material/ListItem";
import ListItemText from "@mui/material/ListItemText";
import Paper from "@mui/material/Paper";
import Stack from "@mui/material/Stack";
import TextField from "@/components/ui/text-field";
import Typography from "@mui/material/Typography";
import DeleteOutlined from "@mui/icons-material/DeleteOutlined";
import { useCallback, useEffect, useState } from "react";
import type { Suppression } from "@/components/campaigns/types";
import { ApiClientError, fetchJson } from "@/lib/api/client";

const reasonLabel: Record<string, string> = {
  unsubscribed: "Unsubscribed",
  bounced: "Refused by the server",
  manual: "Added by you",
};

/** Addresses no campaign sends to: unsubscribed, refused for good, or added here. */
export function SuppressionList() {
  const [items, setItems] = useState<Suppression[] | null>(null);
  const [email, setEmail] = useState("");
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setItems((await fetchJson<{ suppressions: Suppression[] }>("/api/suppressions")).suppressions);
    } catch (e) {
      setError(e instanceof ApiClientError ? e.message : "Could not load the suppression list.");
    }
  }, []);
  useEffect(() => {
    // Loaded after mount: fetch resolves asynchronously, nothing is set synchronously here.
    const timer = setTimeout(() => void load(), 0);
    return () => clearTimeout(timer);
  }, [load]);

  async function add() {
    setError(null);
    try {
      await fetchJson("/api/suppressions", { method: "POST", json: { email } });
      setEmail("");
      await load();
    } catch (e) {
      setError(e instanceof ApiClientError ? e.message : "Could not add the address.");
    }
  }

  async function remove(s: Suppression) {
    if (!window.confirm(`Let campaigns send to ${s.email} again?`)) return;
    await fetchJson(`/api/suppressions/${s.id}`, { method: "DELETE" }).catch(() => undefined);
    await load();
  }

  return (
    <Paper variant="outlined" sx={{ p: 2 }} component="section" aria-labelledby="suppressions-title">
      <Stack direction="row" sx={{ alignItems: "center", mb: 1 }}>
        <Typography id="suppressions-title" variant="h6" component="h2" sx={{ flexGrow: 1 }}>
          Suppression list
        </Typography>
        <Button href="/api/suppressions?format=csv" size="small">
          Export CSV
        </Button>
      </Stack>
      <Stack
        direction={{ xs: "column", sm: "row" }}
        spacing={1}
        component="form"
        onSubmit={(e) => {
          e.preventDefault();
          void add();
        }}
      >
        <TextField
          size="small"
          type="email"
          label="Add an address"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          required
        />
        <Button type="submit" variant="outlined">
          Add
        </Button>
      </Stack>
      {error && (
        <Alert severity="error" sx={{ mt: 1 }}>
          {error}
        </Alert>
      )}
      {items?.length === 0 && (
        <Typography variant="body2" color="text.secondary" sx={{ mt: 1 }}>
          Nobody yet. People who unsubscribe, and addresses a server refuses for good, appear here.
        </Typography>
      )}
      <List dense>
        {items?.map((s) => (
          <ListItem
            key={s.id}
            secondaryAction={
              <IconButton edge="end" aria-label={`Remove ${s.email}`} onClick={() => void remove(s)}>
                <DeleteOutlined />
              </IconButton>
            }
          >
            <ListItemText
              primary={s.email}
              secondary={`${reasonLabel[s.reason] ?? s.reason}${s.detail ? ` · ${s.detail}` : ""}`}
            />
          </ListItem>
        ))}
      </List>
    </Paper>
  );
}
