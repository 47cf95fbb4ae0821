"use client";
import Box from "@mui/material/Box";
import { useRef, useState } from "react";
import { frameDocument } from "@/lib/mail/frame-document";

// Mail HTML is sanitized on the server and is still shown only here: in a sandboxed iframe with no scripts
// (no allow-scripts; allow-same-origin only so the height can be measured), under the policy in frame-document.
export function SafeHtmlFrame({ html, title }: { html: string; title: string }) {
  const ref = useRef<HTMLIFrameElement>(null);
  const [height, setHeight] = useState(240);
  const doc = frameDocument(html);

  return (
    <Box sx={{ border: 1, borderColor: "divider", borderRadius: 1, bgcolor: "#fff", overflow: "hidden" }}>
      <iframe
        ref={ref}
        title={title}
        sandbox="allow-same-origin allow-popups allow-popups-to-escape-sandbox"
        srcDoc={doc}
        onLoad={() => {
          const body = ref.current?.contentDocument?.body;
          if (body) setHeight(Math.min(Math.max(body.scrollHeight + 24, 120), 4000));
        }}
        style={{ width: "100%", height, border: 0, display: "block" }}
      />
    </Box>
  );
}
