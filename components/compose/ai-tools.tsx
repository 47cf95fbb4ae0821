"use client";
import AutoAwesomeOutlined from "@mui/icons-material/AutoAwesomeOutlined";
import Button from "@mui/material/Button";
import Chip from "@mui/material/Chip";
import Menu from "@mui/material/Menu";
import MenuItem from "@mui/material/MenuItem";
import Stack from "@mui/material/Stack";
import Typography from "@mui/material/Typography";
import type { Editor } from "@tiptap/react";
import { useEffect, useRef, useState } from "react";
import { DraftDialog, type DraftInput } from "@/components/compose/ai-draft-dialog";
import { DictationButton } from "@/components/compose/dictation-button";
import { startEditorStream } from "@/components/compose/editor-stream";
import { streamAi } from "@/lib/ai/client-stream";
import { ApiClientError, fetchJson } from "@/lib/api/client";

type Props = { editor: Editor | null; online: boolean; onSubject: (subject: string) => void };

const rewriteOptions = [
  { mode: "shorter", label: "Shorter" },
  { mode: "longer", label: "Longer" },
  { mode: "formal", label: "More formal" },
  { mode: "friendly", label: "Friendlier" },
  { mode: "fix", label: "Fix spelling and grammar" },
] as const;
const languages = [
  "English",
  "French",
  "German",
  "Spanish",
  "Italian",
  "Portuguese",
  "Dutch",
  "Japanese",
  "Chinese",
];

/** The AI assistant in Compose: draft from an instruction, rewrite, subject ideas and dictation. */
export default function AiTools({ editor, online, onSubject }: Props) {
  const [configured, setConfigured] = useState<boolean | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [draftOpen, setDraftOpen] = useState(false);
  const [rewriteAnchor, setRewriteAnchor] = useState<HTMLElement | null>(null);
  const [translateAnchor, setTranslateAnchor] = useState<HTMLElement | null>(null);
  const [subjects, setSubjects] = useState<string[]>([]);
  const abort = useRef<AbortController | null>(null);

  useEffect(() => {
    fetchJson<{ configured: boolean }>("/api/ai/status").then(
      (s) => setConfigured(s.configured),
      () => setConfigured(null),
    );
  }, []);

  const unavailable = !online
    ? "AI needs a connection."
    : configured === false
      ? "AI is not configured: the server needs OPENAI_API_KEY (see the README)."
      : null;
  const disabled = !!unavailable || configured === null || !editor || !!busy;

  async function stream(label: string, path: string, body: unknown, range: { from: number; to: number }) {
    if (!editor) return;
    setError(null);
    setBusy(label);
    const controller = new AbortController();
    abort.current = controller;
    const live = startEditorStream(editor, range);
    try {
      await streamAi(path, body, { signal: controller.signal, onDelta: (d) => live.push(d) });
    } catch (e) {
      setError(e instanceof ApiClientError ? e.message : "The AI request failed.");
    } finally {
      live.finish();
      abort.current = null;
      setBusy(null);
    }
  }

  function draft(input: DraftInput) {
    if (!editor) return;
    setDraftOpen(false);
    const { from, to } = editor.state.selection;
    const range = editor.isEmpty ? { from: 0, to: editor.state.doc.content.size } : { from, to };
    void stream(
      "Writing a draft…",
      "/api/ai/draft",
      { ...input, language: input.language || undefined },
      range,
    );
  }

  function rewrite(mode: string, language?: string) {
    if (!editor) return;
    setRewriteAnchor(null);
    setTranslateAnchor(null);
    const sel = editor.state.selection;
    const range = sel.empty ? { from: 0, to: editor.state.doc.content.size } : { from: sel.from, to: sel.to };
    const text = editor.state.doc.textBetween(range.from, range.to, "\n\n", "\n").trim();
    if (!text) {
      setError("Write something (or select it) before asking for a rewrite.");
      return;
    }
    void stream("Rewriting…", "/api/ai/rewrite", { text, mode, language }, range);
  }

  async function suggestSubjects() {
    if (!editor) return;
    const body = editor.getText().trim();
    if (!body) {
      setError("Write the message first; subject ideas come from it.");
      return;
    }
    setError(null);
    setBusy("Thinking of subjects…");
    try {
      setSubjects(
        (await fetchJson<{ subjects: string[] }>("/api/ai/subjects", { method: "POST", json: { body } }))
          .subjects,
      );
    } catch (e) {
      setError(e instanceof ApiClientError ? e.message : "Could not get subject ideas.");
    } finally {
      setBusy(null);
    }
  }

  return (
    <Stack spacing={1} aria-label="AI assistant" role="group">
      <Stack direction="row" spacing={1} useFlexGap sx={{ flexWrap: "wrap", alignItems: "center" }}>
        <Button
          size="small"
          variant="outlined"
          startIcon={<AutoAwesomeOutlined />}
          disabled={disabled}
          onClick={() => setDraftOpen(true)}
        >
          Draft with AI
        </Button>
        <Button
          size="small"
          variant="outlined"
          disabled={disabled}
          onClick={(e) => setRewriteAnchor(e.currentTarget)}
          aria-haspopup="menu"
        >
          Rewrite
        </Button>
        <Button size="small" variant="outlined" disabled={disabled} onClick={() => void suggestSubjects()}>
          Subject ideas
        </Button>
        <DictationButton editor={editor} transcription={configured === true && online} onError={setError} />
        {busy && (
          <>
            <Typography variant="body2" color="text.secondary" role="status">
              {busy}
            </Typography>
            <Button size="small" color="inherit" onClick={() => abort.current?.abort()}>
              Stop
            </Button>
          </>
        )}
      </Stack>
      {unavailable && configured !== null && (
        <Typography variant="caption" color="text.secondary" data-testid="ai-unavailable">
          {unavailable}
        </Typography>
      )}
      {error && (
        <Typography variant="body2" color="error" role="alert">
          {error}
        </Typography>
      )}
      {subjects.length > 0 && (
        <Stack
          direction="row"
          spacing={1}
          useFlexGap
          sx={{ flexWrap: "wrap", alignItems: "center" }}
          aria-label="Subject ideas"
        >
          <Typography variant="caption" color="text.secondary">
            Use a subject:
          </Typography>
          {subjects.map((s) => (
            <Chip
              key={s}
              label={s}
              onClick={() => {
                onSubject(s);
                setSubjects([]);
              }}
            />
          ))}
        </Stack>
      )}

      <Menu anchorEl={rewriteAnchor} open={!!rewriteAnchor} onClose={() => setRewriteAnchor(null)}>
        {rewriteOptions.map((o) => (
          <MenuItem key={o.mode} onClick={() => rewrite(o.mode)}>
            {o.label}
          </MenuItem>
        ))}
        <MenuItem onClick={(e) => setTranslateAnchor(e.currentTarget)}>Translate…</MenuItem>
      </Menu>
      <Menu anchorEl={translateAnchor} open={!!translateAnchor} onClose={() => setTranslateAnchor(null)}>
        {languages.map((l) => (
          <MenuItem key={l} onClick={() => rewrite("translate", l)}>
            {l}
          </MenuItem>
        ))}
      </Menu>
      {draftOpen && <DraftDialog onCancel={() => setDraftOpen(false)} onDraft={draft} />}
    </Stack>
  );
}
