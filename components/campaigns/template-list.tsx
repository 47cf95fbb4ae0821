"use client";
import Alert from "@mui/material/Alert";
import Button from "@mui/material/Button";
import CircularProgress from "@mui/material/CircularProgress";
import List from "@mui/material/List";
import ListItem from "@mui/material/ListItem";
import ListItemText from "@mui/material/ListItemText";
import Paper from "@mui/material/Paper";
import Stack from "@mui/material/Stack";
import TextField from "@/components/ui/text-field";
import Typography from "@mui/material/Typography";
import dynamic from "next/dynamic";
import { useCallback, useEffect, useState } from "react";
import { Placeholder } from "@/components/ui/light-feedback";
import type { Template } from "@/components/campaigns/types";
import { ApiClientError, fetchJson } from "@/lib/api/client";

// The template editor brings the rich editor (Tiptap) with it: loaded when it is shown, not with the page.
const TemplateEditor = dynamic(
  () => import("@/components/campaigns/template-editor").then((m) => m.TemplateEditor),
  { ssr: false, loading: () => <Placeholder height={420} label="Loading the template editor" /> },
);

const COMMON_VARIABLES = ["first_name", "last_name", "company", "email"];

/** Saved templates: list, edit, duplicate, delete, and a new one. */
export function TemplateList() {
  const [items, setItems] = useState<Template[] | null>(null);
  const [editing, setEditing] = useState<
    (Partial<Template> & { name: string; subject: string; html: string }) | null
  >(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setItems((await fetchJson<{ templates: Template[] }>("/api/templates")).templates);
    } catch (e) {
      setError(e instanceof ApiClientError ? e.message : "Could not load the templates.");
    }
  }, []);
  useEffect(() => {
    // Loaded after mount: fetch resolves asynchronously, nothing is set synchronously here.
    const timer = setTimeout(() => void load(), 0);
    return () => clearTimeout(timer);
  }, [load]);

  async function save() {
    if (!editing) return;
    setError(null);
    try {
      const json = { name: editing.name, subject: editing.subject, html: editing.html };
      if (editing.id) await fetchJson(`/api/templates/${editing.id}`, { method: "PATCH", json });
      else await fetchJson("/api/templates", { method: "POST", json });
      setEditing(null);
      await load();
    } catch (e) {
      setError(e instanceof ApiClientError ? e.message : "Could not save the template.");
    }
  }

  async function act(t: Template, action: "duplicate" | "delete") {
    if (action === "delete" && !window.confirm(`Delete the template “${t.name}”?`)) return;
    setError(null);
    try {
      if (action === "delete") await fetchJson(`/api/templates/${t.id}`, { method: "DELETE" });
      else await fetchJson(`/api/templates/${t.id}/duplicate`, { method: "POST" });
      await load();
    } catch (e) {
      setError(e instanceof ApiClientError ? e.message : "That did not work.");
    }
  }

  return (
    <Paper variant="outlined" sx={{ p: 2 }} component="section" aria-labelledby="templates-title">
      <Stack direction="row" sx={{ alignItems: "center", mb: 1 }}>
        <Typography id="templates-title" variant="h6" component="h2" sx={{ flexGrow: 1 }}>
          Templates
        </Typography>
        <Button size="small" onClick={() => setEditing({ name: "", subject: "", html: "" })}>
          New template
        </Button>
      </Stack>
      {error && <Alert severity="error">{error}</Alert>}
      {editing && (
        <Stack spacing={1.5} sx={{ my: 2 }}>
          <TextField
            label="Name"
            value={editing.name}
            onChange={(e) => setEditing({ ...editing, name: e.target.value })}
          />
          <TemplateEditor
            value={editing}
            variables={[...new Set([...COMMON_VARIABLES, ...(editing.variables ?? [])])]}
            onChange={(v) => setEditing({ ...editing, ...v })}
            onDraftName={(name) => setEditing((e) => (e && !e.name.trim() ? { ...e, name } : e))}
          />
          <Stack direction="row" spacing={1}>
            <Button variant="contained" onClick={() => void save()}>
              Save template
            </Button>
            <Button onClick={() => setEditing(null)}>Cancel</Button>
          </Stack>
        </Stack>
      )}
      {items === null && !error && (
        <Stack direction="row" spacing={1} sx={{ alignItems: "center", py: 1 }}>
          <CircularProgress size={18} aria-label="Loading the templates" />
          <Typography variant="body2" color="text.secondary">
            Loading templates…
          </Typography>
        </Stack>
      )}
      {items?.length === 0 && !editing && (
        <Typography variant="body2" color="text.secondary">
          No templates yet. A template keeps a subject and body to reuse across campaigns.
        </Typography>
      )}
      <List dense>
        {items?.map((t) => (
          <ListItem key={t.id} disableGutters>
            <ListItemText primary={t.name} secondary={t.subject || "(no subject)"} />
            <Stack direction="row" spacing={0.5}>
              <Button size="small" onClick={() => setEditing(t)}>
                Edit
              </Button>
              <Button size="small" onClick={() => void act(t, "duplicate")}>
                Duplicate
              </Button>
              <Button size="small" color="error" onClick={() => void act(t, "delete")}>
                Delete
              </Button>
            </Stack>
          </ListItem>
        ))}
      </List>
    </Paper>
  );
}
