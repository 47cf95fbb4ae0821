"use client";
import CloseOutlined from "@mui/icons-material/CloseOutlined";
import Box from "@mui/material/Box";
import IconButton from "@mui/material/IconButton";
import { useEffect, useState } from "react";
import { phoneTouchTarget } from "@/components/compose/touch-target";
import { fetchJson } from "@/lib/api/client";
import type { AttachmentSummary } from "@/lib/attachments/attachments";
import { formatSize } from "@/lib/attachments/encoded-size";

type Details = { state: "loading" } | { state: "ready"; file: AttachmentSummary } | { state: "failed" };

/**
 * The files a forwarded message (or an undone send) carries as they are on the server: each with its name and
 * size, fetched from the owner-scoped attachment route, and its own Remove.
 */
export function ForwardedFiles({ ids, onRemove }: { ids: string[]; onRemove: (id: string) => void }) {
  const [details, setDetails] = useState<Record<string, Details>>({});
  const key = ids.join(",");
  useEffect(() => {
    let live = true;
    for (const id of ids) {
      // Not yet in `details` means loading; a failure is kept (and said), not retried in a loop.
      if (details[id]) continue;
      fetchJson<{ attachment: AttachmentSummary }>(`/api/attachments/${encodeURIComponent(id)}?info=1`)
        .then(
          ({ attachment }) =>
            live && setDetails((d) => ({ ...d, [id]: { state: "ready", file: attachment } })),
        )
        .catch(() => live && setDetails((d) => ({ ...d, [id]: { state: "failed" } })));
    }
    return () => {
      live = false;
    };
    // Fetched when the list of ids changes; details already known are kept.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);

  if (ids.length === 0) return null;
  return (
    <Box component="ul" aria-label="Files from the original message" sx={{ listStyle: "none", m: 0, p: 0 }}>
      {ids.map((id) => {
        const d = details[id] ?? { state: "loading" };
        const name = d.state === "ready" ? d.file.filename : "File from the original message";
        return (
          <Box
            component="li"
            key={id}
            sx={{ display: "flex", alignItems: "center", gap: 1, py: 0.5, minWidth: 0 }}
          >
            <Box sx={{ flexGrow: 1, minWidth: 0 }}>
              <Box sx={{ display: "flex", gap: 1, alignItems: "baseline", minWidth: 0 }}>
                <Box
                  component="span"
                  sx={{ fontSize: 14, overflow: "hidden", textOverflow: "ellipsis", whiteSpace: "nowrap" }}
                  title={name}
                >
                  {name}
                </Box>
                {d.state === "ready" && (
                  <Box
                    component="span"
                    sx={{ typography: "caption", color: "text.secondary", flexShrink: 0 }}
                  >
                    {formatSize(d.file.encodedSize)}
                  </Box>
                )}
              </Box>
              <Box
                component="span"
                role="status"
                sx={{ typography: "caption", color: d.state === "failed" ? "error.main" : "text.secondary" }}
              >
                {d.state === "loading"
                  ? "Loading details…"
                  : d.state === "failed"
                    ? "Details could not be loaded; the file still goes with the message"
                    : "From the original message"}
              </Box>
            </Box>
            <IconButton
              aria-label={`Remove ${d.state === "ready" ? d.file.filename : "this file"}`}
              onClick={() => onRemove(id)}
              size="small"
              sx={phoneTouchTarget}
            >
              <CloseOutlined fontSize="small" />
            </IconButton>
          </Box>
        );
      })}
    </Box>
  );
}
