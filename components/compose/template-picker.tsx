"use client";
import Alert from "@mui/material/Alert";
import Button from "@mui/material/Button";
import CircularProgress from "@mui/material/CircularProgress";
import ListItemText from "@mui/material/ListItemText";
import Menu from "@mui/material/Menu";
import MenuItem from "@mui/material/MenuItem";
import NextLink from "next/link";
import { useState } from "react";
import { phoneTouchTarget } from "@/components/compose/touch-target";
import { InlineMessage } from "@/components/ui/light-feedback";
import { ApiClientError, fetchJson } from "@/lib/api/client";

type TemplateSummary = { id: string; name: string; subject: string };
export type TemplateFill = { subject: string; html: string; unfilled: string[] };

/**
 * "Use template" in Compose: the saved templates as a menu; the one chosen comes back filled for a single message
 * (defaults in place, variables without one left as visible `{{ name }}` tags: GET /api/templates/:id/compose).
 */
export default function TemplatePicker({
  onChoose,
  disabled = false,
}: {
  onChoose: (fill: TemplateFill, name: string) => void;
  disabled?: boolean;
}) {
  const [anchor, setAnchor] = useState<HTMLElement | null>(null);
  const [templates, setTemplates] = useState<TemplateSummary[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function open(target: HTMLElement) {
    setAnchor(target);
    setError(null);
    try {
      setTemplates((await fetchJson<{ templates: TemplateSummary[] }>("/api/templates")).templates);
    } catch (e) {
      setError(e instanceof ApiClientError ? e.message : "Could not load the templates.");
    }
  }

  async function choose(t: TemplateSummary) {
    setAnchor(null);
    setBusy(true);
    setError(null);
    try {
      onChoose(await fetchJson<TemplateFill>(`/api/templates/${t.id}/compose`), t.name);
    } catch (e) {
      setError(e instanceof ApiClientError ? e.message : "Could not use the template.");
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <Button
        size="small"
        variant="text"
        disabled={disabled || busy}
        aria-haspopup="menu"
        aria-expanded={anchor ? "true" : undefined}
        onClick={(e) => void open(e.currentTarget)}
        startIcon={busy ? <CircularProgress size={16} /> : undefined}
        sx={phoneTouchTarget}
      >
        Use template
      </Button>
      {error && (
        <Alert severity="error" onClose={() => setError(null)} sx={{ width: "100%" }}>
          {error}
        </Alert>
      )}
      <Menu
        anchorEl={anchor}
        open={anchor !== null}
        onClose={() => setAnchor(null)}
        slotProps={{ list: { "aria-label": "Saved templates" } }}
      >
        {templates === null && !error && (
          <MenuItem disabled>
            <CircularProgress size={16} sx={{ mr: 1 }} /> Loading templates…
          </MenuItem>
        )}
        {templates?.length === 0 && (
          <MenuItem component={NextLink} href="/campaigns">
            No templates yet — make one under Campaigns
          </MenuItem>
        )}
        {templates?.map((t) => (
          <MenuItem key={t.id} onClick={() => void choose(t)} sx={phoneTouchTarget}>
            <ListItemText
              primary={t.name}
              secondary={t.subject || "(no subject)"}
              slotProps={{ secondary: { noWrap: true, sx: { maxWidth: { xs: "70vw", sm: 360 } } } }}
            />
          </MenuItem>
        ))}
      </Menu>
    </>
  );
}

/** Under the subject once a template is used: which one, and its variables that no default filled. */
export function TemplateUsedNote({ name, unfilled }: { name: string; unfilled: string[] }) {
  return (
    <InlineMessage tone={unfilled.length ? "warning" : "info"} data-testid="template-used">
      From the template “{name}”.
      {unfilled.length > 0 &&
        ` Replace ${unfilled.map((v) => `{{ ${v} }}`).join(", ")} before sending: no default fills ${unfilled.length > 1 ? "them" : "it"}.`}
    </InlineMessage>
  );
}
