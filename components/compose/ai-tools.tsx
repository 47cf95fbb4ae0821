"use client";
import AutoAwesomeOutlined from "@mui/icons-material/AutoAwesomeOutlined";
import Button from "@mui/material/Button";
import Checkbox from "@mui/material/Checkbox";
import Chip from "@mui/material/Chip";
import FormControlLabel from "@mui/material/FormControlLabel";
import Menu from "@mui/material/Menu";
import MenuItem from "@mui/material/MenuItem";
import Stack from "@mui/material/Stack";
import Typography from "@mui/material/Typography";
import type { Editor } from "@tiptap/react";
import { useRef, useState } from "react";
import { DraftDialog, type DraftInput } from "@/components/compose/ai-draft-dialog";
import { DictationButton } from "@/components/compose/dictation-button";
import { phoneTouchTarget } from "@/components/compose/touch-target";
import { startEditorStream } from "@/components/compose/editor-stream";
import { streamAi } from "@/lib/ai/client-stream";
import { ApiClientError, fetchJson } from "@/lib/api/client";

type Props = {
  editor: Editor | null;
  online: boolean;
  /** Whether the server has AI (known when the page is rendered). */
  configured: boolean;
  onSubject: (subject: string) => void;
  /** The message being answered, when this is a reply or forward: a draft is written in answer to it. */
  getQuoted?: () => string | undefined;
  /** The message's files already on the server (uploaded or forwarded), for "Use the attached files". */
  getAttachmentIds?: () => string[];
  /** Whether the model is sent attached images; otherwise the control says so. */
  readsImages?: boolean;
};

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
export default function AiTools({
  editor,
  online,
  configured,
  onSubject,
  getQuoted,
  getAttachmentIds,
  readsImages = false,
}: Props) {
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [draftOpen, setDraftOpen] = useState(false);
  const [rewriteAnchor, setRewriteAnchor] = useState<HTMLElement | null>(null);
  const [translateAnchor, setTranslateAnchor] = useState<HTMLElement | null>(null);
  const [subjects, setSubjects] = useState<string[]>([]);
  const [useFiles, setUseFiles] = useState(false);
  // Counted when a control opens: files come and go in the panel beside it.
  const [fileCount, setFileCount] = useState(0);
  const countFiles = () => setFileCount(getAttachmentIds?.().length ?? 0);
  const files = () => (useFiles ? getAttachmentIds?.() : undefined) || undefined;
  const abort = useRef<AbortController | null>(null);

  // Without AI on the server, Compose says so itself from the first paint (components/compose/compose-form.tsx).
  const unavailable = configured && !online ? "AI needs a connection." : null;
  const disabled = !configured || !!unavailable || !editor || !!busy;

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
      {
        ...input,
        language: input.language || undefined,
        quoted: getQuoted?.(),
        attachmentIds: files()?.length ? files() : undefined,
      },
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
    const ids = files();
    void stream(
      "Rewriting…",
      "/api/ai/rewrite",
      { text, mode, language, attachmentIds: ids?.length ? ids : undefined },
      range,
    );
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
          sx={phoneTouchTarget}
          variant="outlined"
          startIcon={<AutoAwesomeOutlined />}
          disabled={disabled}
          onClick={() => {
            countFiles();
            setDraftOpen(true);
          }}
        >
          Draft with AI
        </Button>
        <Button
          size="small"
          sx={phoneTouchTarget}
          variant="outlined"
          disabled={disabled}
          onClick={(e) => {
            countFiles();
            setRewriteAnchor(e.currentTarget);
          }}
          aria-haspopup="menu"
        >
          Rewrite
        </Button>
        <Button
          size="small"
          variant="outlined"
          disabled={disabled}
          onClick={() => void suggestSubjects()}
          sx={phoneTouchTarget}
        >
          Subject ideas
        </Button>
        <DictationButton editor={editor} transcription={configured === true && online} onError={setError} />
        {busy && (
          <>
            <Typography variant="body2" color="text.secondary" role="status">
              {busy}
            </Typography>
            <Button size="small" color="inherit" onClick={() => abort.current?.abort()} sx={phoneTouchTarget}>
              Stop
            </Button>
          </>
        )}
      </Stack>
      {unavailable && (
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
        {fileCount > 0 && (
          <MenuItem
            role="menuitemcheckbox"
            aria-checked={useFiles}
            onClick={() => setUseFiles((v) => !v)}
            sx={{ whiteSpace: "normal", maxWidth: 320 }}
          >
            <UseFilesLabel checked={useFiles} count={fileCount} readsImages={readsImages} />
          </MenuItem>
        )}
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
      {draftOpen && (
        <DraftDialog
          onCancel={() => setDraftOpen(false)}
          onDraft={draft}
          files={
            fileCount > 0 ? (
              <FormControlLabel
                control={<Checkbox checked={useFiles} onChange={(e) => setUseFiles(e.target.checked)} />}
                label={<UseFilesLabel count={fileCount} readsImages={readsImages} />}
              />
            ) : null
          }
        />
      )}
    </Stack>
  );
}

/** "Use the attached files", with what the model can read of them. */
function UseFilesLabel({
  checked,
  count,
  readsImages,
}: {
  checked?: boolean;
  count: number;
  readsImages: boolean;
}) {
  return (
    <Stack component="span" direction="row" spacing={1} sx={{ alignItems: "flex-start" }}>
      {checked !== undefined && <Checkbox checked={checked} tabIndex={-1} sx={{ p: 0 }} aria-hidden />}
      <span>
        <Typography component="span" variant="body2" sx={{ display: "block" }}>
          Use the attached files ({count})
        </Typography>
        <Typography
          component="span"
          variant="caption"
          color="text.secondary"
          sx={{ display: "block" }}
          data-testid="ai-files-note"
        >
          {readsImages
            ? "Text files and images (PNG, JPEG, GIF, WebP) are sent to the AI; other files are not."
            : "Images cannot be read by this model; only text files are sent."}
        </Typography>
      </span>
    </Stack>
  );
}
