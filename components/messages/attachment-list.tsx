"use client";
import AttachFileOutlined from "@mui/icons-material/AttachFileOutlined";
import Box from "@mui/material/Box";
import Link from "@mui/material/Link";
import Paper from "@mui/material/Paper";
import Typography from "@mui/material/Typography";
import { formatSize } from "@/lib/attachments/encoded-size";

export type AttachmentLink = {
  key: string;
  filename: string;
  contentType: string;
  size: number;
  /** Downloads the file (served as an attachment, nosniff). */
  href: string;
  /** A raster image's inline preview, when there is one. */
  previewHref?: string;
};

/** A message's files: each a download link with its size, images with a small preview. */
export function AttachmentList({ items }: { items: AttachmentLink[] }) {
  if (items.length === 0) return null;
  return (
    <Paper variant="outlined" sx={{ p: 2 }} component="section" aria-label="Attachments">
      <Typography variant="subtitle2" component="h2" gutterBottom>
        Attachments
      </Typography>
      <Box component="ul" sx={{ listStyle: "none", m: 0, p: 0, display: "flex", flexWrap: "wrap", gap: 1.5 }}>
        {items.map((a) => (
          <Box
            component="li"
            key={a.key}
            data-testid="message-attachment"
            sx={{
              display: "flex",
              flexDirection: "column",
              gap: 0.5,
              maxWidth: { xs: "100%", sm: 220 },
              minWidth: 0,
            }}
          >
            {a.previewHref && (
              <Box
                component="img"
                src={a.previewHref}
                alt={`Preview of ${a.filename}`}
                loading="lazy"
                sx={{
                  maxWidth: "100%",
                  maxHeight: 140,
                  objectFit: "contain",
                  borderRadius: 1,
                  border: 1,
                  borderColor: "divider",
                }}
              />
            )}
            <Link
              href={a.href}
              download={a.filename}
              sx={{ display: "flex", alignItems: "center", gap: 0.5, minHeight: 44, wordBreak: "break-word" }}
            >
              <AttachFileOutlined fontSize="small" aria-hidden />
              {a.filename}
            </Link>
            <Typography variant="caption" color="text.secondary">
              {a.contentType} · {formatSize(a.size)}
            </Typography>
          </Box>
        ))}
      </Box>
    </Paper>
  );
}
