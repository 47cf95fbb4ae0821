"use client";
import Box from "@mui/material/Box";
import Skeleton from "@mui/material/Skeleton";
import Stack from "@mui/material/Stack";
import TextField from "@mui/material/TextField";
import Typography from "@mui/material/Typography";
import type { Editor, Extensions } from "@tiptap/react";
import dynamic from "next/dynamic";
import { useCallback, useRef, useState, type SyntheticEvent } from "react";
import { TemplateAiTools } from "@/components/campaigns/template-ai-tools";
import { TemplateVariable, templateHtmlOf, variableTag } from "@/components/campaigns/template-variable";
import { VariableMenu } from "@/components/campaigns/variable-menu";

const RichTextEditor = dynamic(() => import("@/components/compose/rich-text-editor"), {
  ssr: false,
  loading: () => <Skeleton variant="rounded" height={280} aria-label="Loading the editor" />,
});

const EXTENSIONS: Extensions = [TemplateVariable];

type Value = { subject: string; html: string };

/**
 * Subject and body of a merge template. The body is the rich editor with each `{{ … }}` shown as a chip (its
 * HTML saved with the tags as typed); "Insert variable" puts a chip at the cursor, or the tag into the subject.
 * Values filled in are escaped when the message is rendered (lib/templates/render.ts).
 */
export function TemplateEditor({
  value,
  onChange,
  variables,
  disabled = false,
  onDraftName,
}: {
  value: Value;
  onChange: (value: Value) => void;
  variables: string[];
  disabled?: boolean;
  /** The name an AI draft suggests, for an editor that has a name field. */
  onDraftName?: (name: string) => void;
}) {
  const editor = useRef<Editor | null>(null);
  const subjectCursor = useRef<number | null>(null);
  // The editor takes its content when it mounts: HTML that arrives from outside (a template chosen, an AI
  // draft) mounts a new one; HTML the editor itself wrote does not.
  const [written, setWritten] = useState(value.html);
  const [seen, setSeen] = useState(value.html);
  const [editorKey, setEditorKey] = useState(0);
  if (value.html !== seen) {
    setSeen(value.html);
    if (value.html !== written) setEditorKey((k) => k + 1);
  }

  function onBodyChange(html: string) {
    setWritten(html);
    onChange({ ...value, html });
  }
  const onReady = useCallback((e: Editor | null) => {
    editor.current = e;
  }, []);

  function rememberSubjectCursor(e: SyntheticEvent) {
    subjectCursor.current = (e.target as HTMLInputElement).selectionStart;
  }

  function insertInSubject(name: string, fallback?: string) {
    const tag = variableTag(name, fallback);
    const at = Math.min(subjectCursor.current ?? value.subject.length, value.subject.length);
    onChange({ ...value, subject: value.subject.slice(0, at) + tag + value.subject.slice(at) });
    subjectCursor.current = at + tag.length;
  }

  function insertInBody(name: string, fallback?: string) {
    const e = editor.current;
    if (!e) return;
    e.chain().focus().insertTemplateVariable(variableTag(name, fallback)).run();
  }

  return (
    <Stack spacing={1.5}>
      <Stack direction={{ xs: "column", sm: "row" }} spacing={1} sx={{ alignItems: { sm: "flex-start" } }}>
        <TextField
          label="Subject"
          value={value.subject}
          disabled={disabled}
          fullWidth
          onChange={(e) => onChange({ ...value, subject: e.target.value })}
          onSelect={rememberSubjectCursor}
          onKeyUp={rememberSubjectCursor}
          helperText='Variables such as {{ first_name | default: "there" }} work here too.'
        />
        <Box sx={{ pt: { sm: 1 }, flexShrink: 0 }}>
          <VariableMenu
            variables={variables}
            onInsert={insertInSubject}
            label="Variable in subject"
            disabled={disabled}
          />
        </Box>
      </Stack>
      <Stack direction="row" spacing={1} useFlexGap sx={{ flexWrap: "wrap", alignItems: "center" }}>
        <VariableMenu variables={variables} onInsert={insertInBody} disabled={disabled} />
        <TemplateAiTools
          variables={variables}
          html={value.html}
          disabled={disabled}
          onSubject={(subject) => onChange({ ...value, subject })}
          onDraft={(t) => {
            onChange({ subject: t.subject, html: t.html });
            onDraftName?.(t.name);
          }}
        />
      </Stack>
      {disabled ? (
        <Box
          sx={{ border: 1, borderColor: "divider", borderRadius: 1, p: 1.5, color: "text.secondary" }}
          aria-label="Message body (read only)"
        >
          <Typography
            variant="body2"
            component="pre"
            sx={{ whiteSpace: "pre-wrap", m: 0, fontFamily: "inherit" }}
          >
            {value.html
              .replace(/<[^>]+>/g, " ")
              .replace(/\s+/g, " ")
              .trim() || "(empty)"}
          </Typography>
        </Box>
      ) : (
        <div data-testid="template-body">
          <RichTextEditor
            key={editorKey}
            initialHtml={value.html}
            onChange={onBodyChange}
            onReady={onReady}
            label="Template body"
            extensions={EXTENSIONS}
            toHtml={templateHtmlOf}
          />
        </div>
      )}
      <Typography variant="caption" color="text.secondary">
        {
          "{% if company %}…{% endif %} shows a part only when the row has a value for it. Backspace removes a variable."
        }
      </Typography>
    </Stack>
  );
}
