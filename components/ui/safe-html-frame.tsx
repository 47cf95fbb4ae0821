"use client";
import Box from "@mui/material/Box";
import { useRef, useState } from "react";

// Mail HTML is sanitized on the server and is still shown only here: in a sandboxed iframe with no scripts,
// and a CSP that blocks remote loads (tracking pixels) — only inline and data: images show.
const CSP = "default-src 'none'; img-src data: cid:; style-src 'unsafe-inline'; font-src data:";

export function SafeHtmlFrame({ html, title }: { html: string; title: string }) {
  const ref = useRef<HTMLIFrameElement>(null);
  const [height, setHeight] = useState(240);
  const doc = `<!doctype html><html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${CSP}"><base target="_blank"><style>body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;font-size:15px;line-height:1.5;margin:12px;color:#1f2937;word-wrap:break-word}blockquote{border-left:3px solid #d1d5db;margin-left:0;padding-left:12px;color:#4b5563}pre{white-space:pre-wrap}img{max-width:100%}</style></head><body>${html}</body></html>`;

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
