"use client";
import AutoAwesomeOutlined from "@mui/icons-material/AutoAwesomeOutlined";
import Alert from "@mui/material/Alert";
import Button from "@mui/material/Button";
import CircularProgress from "@mui/material/CircularProgress";
import Dialog from "@mui/material/Dialog";
import DialogActions from "@mui/material/DialogActions";
import DialogContent from "@mui/material/DialogContent";
import DialogContentText from "@mui/material/DialogContentText";
import DialogTitle from "@mui/material/DialogTitle";
import Menu from "@mui/material/Menu";
import MenuItem from "@mui/material/MenuItem";
import Stack from "@mui/material/Stack";
import TextField from "@mui/material/TextField";
import { useState, type FormEvent } from "react";
import { phoneTouchTarget } from "@/components/compose/touch-target";
import { ApiClientError, fetchJson } from "@/lib/api/client";
import type { DraftedTemplate } from "@/lib/ai/template-drafts";

/**
 * The template editor's AI buttons: "Draft with AI" (a template from an instruction, checked by the server's
 * template engine) and "Suggest subjects" (three subject lines for the body). Each shows its progress and says
 * what went wrong in words; nothing is saved until the user saves.
 */
export function TemplateAiTools({
  variables,
  html,
  onDraft,
  onSubject,
  disabled = false,
}: {
  variables: string[];
  html: string;
  onDraft: (template: DraftedTemplate) => void;
  onSubject: (subject: string) => void;
  disabled?: boolean;
}) {
  const [asking, setAsking] = useState(false);
  const [instruction, setInstruction] = useState("");
  const [busy, setBusy] = useState<"draft" | "subjects" | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [subjects, setSubjects] = useState<{ anchor: HTMLElement; items: string[] } | null>(null);
  const empty = !html.replace(/<[^>]*>/g, "").trim();

  async function draft(e: FormEvent) {
    e.preventDefault();
    if (!instruction.trim()) return;
    setBusy("draft");
    setError(null);
    setNotice(null);
    try {
      const { template } = await fetchJson<{ template: DraftedTemplate }>("/api/ai/template", {
        method: "POST",
        json: { instruction: instruction.trim(), variables },
      });
      onDraft(template);
      setAsking(false);
      setInstruction("");
      if (template.unknownVariables.length) {
        setNotice(
          `The draft uses ${template.unknownVariables.join(", ")}, which no column provides: they will be empty unless you change them.`,
        );
      }
    } catch (err) {
      setError(err instanceof ApiClientError ? err.message : "The AI draft did not work. Try again.");
    } finally {
      setBusy(null);
    }
  }

  async function suggest(anchor: HTMLElement) {
    setBusy("subjects");
    setError(null);
    try {
      const { subjects: items } = await fetchJson<{ subjects: string[] }>("/api/ai/template-subjects", {
        method: "POST",
        json: { html, variables },
      });
      setSubjects({ anchor, items });
    } catch (err) {
      setError(err instanceof ApiClientError ? err.message : "No subject lines this time. Try again.");
    } finally {
      setBusy(null);
    }
  }

  return (
    <>
      <Button
        size="small"
        startIcon={busy === "draft" ? <CircularProgress size={16} /> : <AutoAwesomeOutlined />}
        disabled={disabled || busy !== null}
        onClick={() => setAsking(true)}
        aria-haspopup="dialog"
        sx={phoneTouchTarget}
      >
        Draft with AI
      </Button>
      <Button
        size="small"
        startIcon={busy === "subjects" ? <CircularProgress size={16} /> : <AutoAwesomeOutlined />}
        disabled={disabled || busy !== null || empty}
        title={empty ? "Write the body first" : undefined}
        onClick={(e) => void suggest(e.currentTarget)}
        aria-haspopup="menu"
        sx={phoneTouchTarget}
      >
        {busy === "subjects" ? "Suggesting…" : "Suggest subjects"}
      </Button>
      {error && (
        <Alert severity="error" onClose={() => setError(null)} sx={{ width: "100%" }} role="alert">
          {error}
        </Alert>
      )}
      {notice && (
        <Alert severity="warning" onClose={() => setNotice(null)} sx={{ width: "100%" }}>
          {notice}
        </Alert>
      )}
      <Menu
        anchorEl={subjects?.anchor}
        open={subjects !== null}
        onClose={() => setSubjects(null)}
        slotProps={{ list: { "aria-label": "Suggested subjects" } }}
      >
        {subjects?.items.map((s) => (
          <MenuItem
            key={s}
            onClick={() => {
              onSubject(s);
              setSubjects(null);
            }}
            sx={{ whiteSpace: "normal", maxWidth: { xs: "calc(100vw - 32px)", sm: 480 } }}
          >
            {s}
          </MenuItem>
        ))}
      </Menu>
      <Dialog open={asking} onClose={() => busy === null && setAsking(false)} fullWidth maxWidth="sm">
        <form onSubmit={(e) => void draft(e)} aria-label="Draft a template with AI">
          <DialogTitle>Draft a template with AI</DialogTitle>
          <DialogContent>
            <Stack spacing={2} sx={{ pt: 1 }}>
              <DialogContentText>
                The draft replaces the subject and body in the editor (nothing is saved until you save).
                {variables.length > 0 && ` It may use: ${variables.join(", ")}.`}
              </DialogContentText>
              <TextField
                label="What should the template say?"
                placeholder="Invite customers to the spring sale, mentioning their company when we know it"
                value={instruction}
                onChange={(e) => setInstruction(e.target.value)}
                multiline
                minRows={3}
                autoFocus
                required
                disabled={busy === "draft"}
              />
              {error && <Alert severity="error">{error}</Alert>}
            </Stack>
          </DialogContent>
          <DialogActions>
            <Button onClick={() => setAsking(false)} disabled={busy === "draft"}>
              Cancel
            </Button>
            <Button
              type="submit"
              variant="contained"
              disabled={busy === "draft" || !instruction.trim()}
              startIcon={busy === "draft" ? <CircularProgress size={16} color="inherit" /> : undefined}
            >
              {busy === "draft" ? "Drafting…" : "Draft"}
            </Button>
          </DialogActions>
        </form>
      </Dialog>
    </>
  );
}
