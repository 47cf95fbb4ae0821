"use client";
import AutoAwesomeOutlined from "@mui/icons-material/AutoAwesomeOutlined";
import MicNoneOutlined from "@mui/icons-material/MicNoneOutlined";
import Button from "@mui/material/Button";
import Chip from "@mui/material/Chip";
import Dialog from "@mui/material/Dialog";
import DialogActions from "@mui/material/DialogActions";
import DialogContent from "@mui/material/DialogContent";
import DialogTitle from "@mui/material/DialogTitle";
import Menu from "@mui/material/Menu";
import MenuItem from "@mui/material/MenuItem";
import Stack from "@mui/material/Stack";
import TextField from "@mui/material/TextField";
import Typography from "@mui/material/Typography";
import type { Editor } from "@tiptap/react";
import { useEffect, useRef, useState, useSyncExternalStore, type FormEvent } from "react";
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

  function draft(input: { instruction: string; tone: string; length: string; language: string }) {
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
        <Dictation editor={editor} transcription={configured === true && online} onError={setError} />
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

function DraftDialog({
  onCancel,
  onDraft,
}: {
  onCancel: () => void;
  onDraft: (input: { instruction: string; tone: string; length: string; language: string }) => void;
}) {
  const [instruction, setInstruction] = useState("");
  const [tone, setTone] = useState("neutral");
  const [length, setLength] = useState("medium");
  const [language, setLanguage] = useState("");

  function submit(event: FormEvent) {
    event.preventDefault();
    if (instruction.trim())
      onDraft({ instruction: instruction.trim(), tone, length, language: language.trim() });
  }

  return (
    <Dialog open onClose={onCancel} fullWidth maxWidth="sm">
      <form onSubmit={submit} aria-label="Draft with AI">
        <DialogTitle>Draft with AI</DialogTitle>
        <DialogContent>
          <Stack spacing={2} sx={{ pt: 1 }}>
            <TextField
              label="What should the email say?"
              placeholder="Thank Sam for the signed contract and propose a call next week"
              value={instruction}
              onChange={(e) => setInstruction(e.target.value)}
              multiline
              minRows={3}
              autoFocus
              required
            />
            <Stack direction={{ xs: "column", sm: "row" }} spacing={2}>
              <TextField select label="Tone" value={tone} onChange={(e) => setTone(e.target.value)} fullWidth>
                {["neutral", "formal", "friendly", "direct", "warm"].map((t) => (
                  <MenuItem key={t} value={t}>
                    {t[0]!.toUpperCase() + t.slice(1)}
                  </MenuItem>
                ))}
              </TextField>
              <TextField
                select
                label="Length"
                value={length}
                onChange={(e) => setLength(e.target.value)}
                fullWidth
              >
                {["short", "medium", "long"].map((l) => (
                  <MenuItem key={l} value={l}>
                    {l[0]!.toUpperCase() + l.slice(1)}
                  </MenuItem>
                ))}
              </TextField>
              <TextField
                label="Language"
                placeholder="Same as the instruction"
                value={language}
                onChange={(e) => setLanguage(e.target.value)}
                fullWidth
              />
            </Stack>
          </Stack>
        </DialogContent>
        <DialogActions>
          <Button onClick={onCancel}>Cancel</Button>
          <Button type="submit" variant="contained" disabled={!instruction.trim()}>
            Write draft
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}

type Recognition = {
  lang: string;
  interimResults: boolean;
  continuous: boolean;
  start(): void;
  stop(): void;
  onresult:
    | ((e: {
        resultIndex: number;
        results: ArrayLike<{ isFinal: boolean; 0: { transcript: string } }>;
      }) => void)
    | null;
  onend: (() => void) | null;
  onerror: ((e: { error: string }) => void) | null;
};

/**
 * Dictation: the browser's speech recognition where it has one; otherwise, when AI is configured, a recording
 * transcribed by the server (OpenAI transcription).
 */
function Dictation({
  editor,
  transcription,
  onError,
}: {
  editor: Editor | null;
  transcription: boolean;
  onError: (m: string) => void;
}) {
  const [state, setState] = useState<"idle" | "listening" | "transcribing">("idle");
  const recognition = useRef<Recognition | null>(null);
  const recorder = useRef<MediaRecorder | null>(null);
  const mode = useSyncExternalStore(
    () => () => {},
    () =>
      speechRecognition()
        ? "speech"
        : typeof MediaRecorder !== "undefined" && navigator.mediaDevices
          ? "record"
          : "none",
    () => "none",
  );

  if (mode === "none" || (mode === "record" && !transcription)) return null;

  const insert = (text: string) => {
    if (text.trim()) editor?.chain().focus().insertContent(`${text.trim()} `).run();
  };

  function listen() {
    const Ctor = speechRecognition();
    if (!Ctor) return;
    const r = new Ctor();
    r.lang = navigator.language;
    r.interimResults = false;
    r.continuous = true;
    r.onresult = (e) => {
      for (let i = e.resultIndex; i < e.results.length; i++) {
        const result = e.results[i]!;
        if (result.isFinal) insert(result[0].transcript);
      }
    };
    r.onend = () => setState("idle");
    r.onerror = (e) => {
      setState("idle");
      if (e.error === "not-allowed") onError("Allow the microphone to dictate.");
    };
    recognition.current = r;
    r.start();
    setState("listening");
  }

  async function record() {
    let stream: MediaStream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    } catch {
      onError("Allow the microphone to dictate.");
      return;
    }
    const chunks: Blob[] = [];
    const r = new MediaRecorder(stream);
    r.ondataavailable = (e) => chunks.push(e.data);
    r.onstop = async () => {
      stream.getTracks().forEach((t) => t.stop());
      setState("transcribing");
      try {
        const form = new FormData();
        form.append("audio", new File(chunks, "dictation.webm", { type: r.mimeType || "audio/webm" }));
        const res = await fetch("/api/ai/transcribe", { method: "POST", body: form });
        const body = (await res.json()) as { text?: string; error?: { message: string } };
        if (!res.ok) onError(body.error?.message ?? "Dictation failed.");
        else insert(body.text ?? "");
      } catch {
        onError("Cannot reach SecureVault to transcribe the recording.");
      } finally {
        setState("idle");
      }
    };
    recorder.current = r;
    r.start();
    setState("listening");
  }

  function toggle() {
    if (state === "listening") {
      recognition.current?.stop();
      if (recorder.current?.state === "recording") recorder.current.stop();
      return;
    }
    if (mode === "speech") listen();
    else void record();
  }

  return (
    <Button
      size="small"
      variant={state === "listening" ? "contained" : "outlined"}
      startIcon={<MicNoneOutlined />}
      onClick={toggle}
      disabled={!editor || state === "transcribing"}
    >
      {state === "listening" ? "Stop dictation" : state === "transcribing" ? "Transcribing…" : "Dictate"}
    </Button>
  );
}

function speechRecognition(): (new () => Recognition) | undefined {
  const w = window as unknown as {
    SpeechRecognition?: new () => Recognition;
    webkitSpeechRecognition?: new () => Recognition;
  };
  return w.SpeechRecognition ?? w.webkitSpeechRecognition;
}
