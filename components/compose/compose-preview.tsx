"use client";
import Box from "@mui/material/Box";
import ToggleButton from "@mui/material/ToggleButton";
import ToggleButtonGroup from "@mui/material/ToggleButtonGroup";
import type { Editor } from "@tiptap/react";
import { useEffect, useState } from "react";
import { SafeHtmlFrame } from "@/components/ui/safe-html-frame";
import { fetchJson } from "@/lib/api/client";
import { composeMessageHtml } from "@/lib/compose/reply";

// Live preview: the message as the recipient will get it — the server's sanitized HTML in the same sandboxed
// frame the message page uses, at a phone's or a desktop's width, and its plain-text part — refreshed a moment
// after the typing stops. Offline, the HTML is shown as written (still in the sandboxed frame) and the
// plain-text part waits for the connection.

const DEBOUNCE_MS = 400;
const widths = { phone: 375, desktop: 900 } as const;

type Rendered = { html: string; text: string | null };

export default function ComposePreview({
  editor,
  subject,
  signatureHtml,
  quoteHtml,
  online,
}: {
  editor: Editor | null;
  subject: string;
  signatureHtml: string | null;
  quoteHtml?: string;
  online: boolean;
}) {
  const [width, setWidth] = useState<keyof typeof widths>("desktop");
  const [rendered, setRendered] = useState<Rendered | null>(null);
  const [failed, setFailed] = useState(false);
  const [revision, setRevision] = useState(0);

  useEffect(() => {
    if (!editor) return;
    const bump = () => setRevision((r) => r + 1);
    editor.on("update", bump);
    return () => {
      editor.off("update", bump);
    };
  }, [editor]);

  useEffect(() => {
    let cancelled = false;
    const timer = setTimeout(async () => {
      const body = editor && !editor.isEmpty ? editor.getHTML() : "";
      const html = composeMessageHtml({ body, signatureHtml, quoteHtml });
      if (!online) {
        setRendered({ html, text: null });
        return;
      }
      try {
        const answer = await fetchJson<{ html: string; text: string }>("/api/messages/preview", {
          method: "POST",
          json: { html },
        });
        if (!cancelled) {
          setRendered(answer);
          setFailed(false);
        }
      } catch {
        if (!cancelled) setFailed(true);
      }
    }, DEBOUNCE_MS);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [editor, revision, signatureHtml, quoteHtml, online]);

  return (
    <Box
      component="section"
      aria-label="Preview"
      id="compose-preview"
      sx={{ display: "flex", flexDirection: "column", gap: 1.5, minWidth: 0 }}
    >
      <Box
        sx={{
          display: "flex",
          flexWrap: "wrap",
          alignItems: "center",
          justifyContent: "space-between",
          gap: 1,
        }}
      >
        <Box component="h2" sx={{ typography: "subtitle1", m: 0 }}>
          Preview: {subject || "(no subject)"}
        </Box>
        <ToggleButtonGroup
          size="small"
          exclusive
          value={width}
          onChange={(_e, value: keyof typeof widths | null) => value && setWidth(value)}
          aria-label="Preview width"
        >
          <ToggleButton value="phone" sx={{ minHeight: 44 }}>
            Phone
          </ToggleButton>
          <ToggleButton value="desktop" sx={{ minHeight: 44 }}>
            Desktop
          </ToggleButton>
        </ToggleButtonGroup>
      </Box>
      {failed && (
        <Box role="status" sx={{ typography: "body2", color: "warning.main" }}>
          The preview could not be refreshed; it shows the last version.
        </Box>
      )}
      {!rendered ? (
        <Box role="status" sx={{ typography: "body2", color: "text.secondary" }}>
          Preparing the preview…
        </Box>
      ) : (
        <>
          <Box sx={{ width: widths[width], maxWidth: "100%" }} data-testid="preview-frame" data-width={width}>
            <SafeHtmlFrame
              html={rendered.html || "<p><em>(empty message)</em></p>"}
              title="Preview of the message"
            />
          </Box>
          <Box component="details">
            <summary>Plain-text part</summary>
            <Box
              component="pre"
              data-testid="preview-text"
              sx={{
                mt: 1,
                p: 1.5,
                border: 1,
                borderColor: "divider",
                borderRadius: 1,
                whiteSpace: "pre-wrap",
                overflowWrap: "anywhere",
                fontFamily: "ui-monospace, monospace",
                fontSize: 13,
              }}
            >
              {rendered.text ?? "The plain-text part is made by the server: it shows once you are online."}
            </Box>
          </Box>
        </>
      )}
    </Box>
  );
}
