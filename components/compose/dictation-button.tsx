"use client";
import MicNoneOutlined from "@mui/icons-material/MicNoneOutlined";
import Button from "@mui/material/Button";
import type { Editor } from "@tiptap/react";
import { useRef, useState, useSyncExternalStore } from "react";
import { phoneTouchTarget } from "@/components/compose/touch-target";
import type { ApiErrorBody } from "@/lib/api/error-body";

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
export function DictationButton({
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
        const body = (await res.json()) as { text?: string } & Partial<ApiErrorBody>;
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
      sx={phoneTouchTarget}
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
