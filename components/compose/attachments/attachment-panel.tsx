"use client";
import AttachFileOutlined from "@mui/icons-material/AttachFileOutlined";
import CloseOutlined from "@mui/icons-material/CloseOutlined";
import Box from "@mui/material/Box";
import Button from "@mui/material/Button";
import IconButton from "@mui/material/IconButton";
import { useEffect, useImperativeHandle, useRef, type RefObject } from "react";
import { phoneTouchTarget } from "@/components/compose/touch-target";
import { useAttachments, type ComposeFile } from "@/components/compose/attachments/use-attachments";
import type { AttachmentsHandle } from "@/components/compose/attachments/attachments-handle";
import type { OutboxFile } from "@/lib/offline/attachment-files";
import { InlineMessage } from "@/components/ui/light-feedback";
import { attachmentWireSize, formatSize } from "@/lib/attachments/encoded-size";
import type { MessageSizeLimit } from "@/lib/attachments/size-limits";
import { ForwardedFiles } from "@/components/compose/attachments/forwarded-files";
import { messageSizeProblem } from "@/components/compose/attachments/size-check";

type Props = {
  /** Filled in with what Compose can ask of the panel. */
  handle: RefObject<AttachmentsHandle | null>;
  /** The draft's files when it was opened (the panel is keyed by the draft). */
  initialFiles?: OutboxFile[];
  initialServerIds?: string[];
  /** The files changed: the draft is saved. */
  onChange: () => void;
  limit?: MessageSizeLimit;
};

const statusText: Record<ComposeFile["status"], string> = {
  uploading: "Uploading",
  uploaded: "Attached",
  waiting: "Waiting for a connection — goes with the message",
  failed: "Not attached",
};

/** The picker, each file with its encoded size, progress and Remove, and the total against the sender's limit. */
export default function AttachmentPanel({ handle, initialFiles, initialServerIds, onChange, limit }: Props) {
  const attachments = useAttachments({ onChange });
  const { files, restore } = attachments;
  const picker = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (initialFiles?.length || initialServerIds?.length) restore(initialFiles, initialServerIds);
    // Once, when the draft opens (the panel is keyed by it).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  useImperativeHandle(handle, () => ({
    add: attachments.add,
    pick: () => picker.current?.click(),
    settle: attachments.settle,
    snapshot: attachments.snapshot,
    serverIds: () => attachments.serverIds,
    sizes: () => files.map((f) => f.size),
  }));
  const onAdd = (list: File[]) => attachments.add(list);
  const onRemove = attachments.remove;
  const sizeProblem = messageSizeProblem(
    0,
    files.map((f) => f.size),
    limit,
  );
  const total = files.reduce((sum, f) => sum + attachmentWireSize(f.size), 0);
  return (
    <Box
      component="section"
      aria-label="Attachments"
      sx={{ display: "flex", flexDirection: "column", gap: 1 }}
    >
      <Box sx={{ display: "flex", flexWrap: "wrap", alignItems: "center", gap: 1 }}>
        <Button
          size="small"
          variant="outlined"
          startIcon={<AttachFileOutlined />}
          onClick={() => picker.current?.click()}
          sx={phoneTouchTarget}
        >
          Attach files
        </Button>
        <input
          ref={picker}
          type="file"
          multiple
          hidden
          data-testid="attachment-input"
          aria-label="Choose files to attach"
          onChange={(e) => {
            if (e.target.files?.length) onAdd([...e.target.files]);
            e.target.value = "";
          }}
        />
        <Box component="span" sx={{ typography: "caption", color: "text.secondary" }}>
          {files.length
            ? `${formatSize(total)} once encoded${limit ? ` · ${limit.provider} takes up to ${formatSize(limit.bytes)}` : ""}`
            : "or drop files here, or paste them"}
        </Box>
      </Box>
      {files.length > 0 && (
        <Box
          component="ul"
          aria-label="Attached files"
          sx={{ listStyle: "none", m: 0, p: 0, display: "flex", flexDirection: "column", gap: 0.75 }}
        >
          {files.map((f) => (
            <Box
              component="li"
              key={f.key}
              data-testid="attachment"
              sx={{
                display: "flex",
                alignItems: "center",
                gap: 1,
                px: 1.5,
                py: 0.5,
                border: 1,
                borderColor: f.status === "failed" ? "error.main" : "divider",
                borderRadius: 1,
                bgcolor: "background.paper",
                minWidth: 0,
              }}
            >
              <Box sx={{ flexGrow: 1, minWidth: 0 }}>
                <Box sx={{ display: "flex", gap: 1, alignItems: "baseline", minWidth: 0 }}>
                  <Box
                    component="span"
                    sx={{ fontSize: 14, overflow: "hidden", textOverflow: "ellipsis", whiteSpace: "nowrap" }}
                    title={f.name}
                  >
                    {f.name}
                  </Box>
                  <Box
                    component="span"
                    sx={{ typography: "caption", color: "text.secondary", flexShrink: 0 }}
                  >
                    {formatSize(attachmentWireSize(f.size))}
                    {f.inline ? " · inline image" : ""}
                  </Box>
                </Box>
                <Box
                  component="span"
                  role="status"
                  sx={{
                    typography: "caption",
                    color: f.status === "failed" ? "error.main" : "text.secondary",
                  }}
                >
                  {f.status === "failed" ? f.error : statusText[f.status]}
                  {f.status === "uploading" ? ` ${Math.round(f.progress * 100)} %` : ""}
                </Box>
                {f.status === "uploading" && (
                  <Box
                    role="progressbar"
                    aria-label={`Uploading ${f.name}`}
                    aria-valuemin={0}
                    aria-valuemax={100}
                    aria-valuenow={Math.round(f.progress * 100)}
                    sx={{ height: 4, borderRadius: 2, bgcolor: "action.hover", overflow: "hidden" }}
                  >
                    <Box
                      sx={{
                        height: "100%",
                        width: `${Math.round(f.progress * 100)}%`,
                        bgcolor: "primary.main",
                      }}
                    />
                  </Box>
                )}
                {f.warning && (
                  <Box
                    component="span"
                    sx={{ display: "block", typography: "caption", color: "warning.main" }}
                  >
                    {f.warning}
                  </Box>
                )}
              </Box>
              <IconButton
                aria-label={`Remove ${f.name}`}
                onClick={() => onRemove(f.key)}
                size="small"
                sx={phoneTouchTarget}
              >
                <CloseOutlined fontSize="small" />
              </IconButton>
            </Box>
          ))}
        </Box>
      )}
      <ForwardedFiles ids={attachments.serverIds} onRemove={attachments.removeServerId} />
      {sizeProblem && <InlineMessage tone="error">{sizeProblem}</InlineMessage>}
    </Box>
  );
}
