"use client";
import Alert from "@mui/material/Alert";
import Button from "@mui/material/Button";
import LinearProgress from "@mui/material/LinearProgress";
import Paper from "@mui/material/Paper";
import Stack from "@mui/material/Stack";
import Typography from "@mui/material/Typography";
import { useEffect, useState } from "react";
import { SafeHtmlFrame } from "@/components/ui/safe-html-frame";
import { ApiClientError, fetchJson } from "@/lib/api/client";

type Preview = {
  position: number;
  total: number;
  to: string;
  subject: string;
  html: string;
  /** The row's AI opening line (personalised campaigns), or why it could not be written. */
  aiOpening: string | null;
  aiOpeningError: string | null;
};

/** Any row as its recipient will get it: previous and next step through the file. */
export function CampaignPreview({
  campaignId,
  total,
  refresh,
}: {
  campaignId: string;
  total: number;
  refresh: number;
}) {
  const [position, setPosition] = useState(1);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [error, setError] = useState<string | null>(null);
  // What is shown is for this row and version; anything else is still loading (an AI line can take a moment).
  const [loaded, setLoaded] = useState("");
  const wanted = `${position}:${refresh}`;

  useEffect(() => {
    let live = true;
    fetchJson<Preview>(`/api/campaigns/${campaignId}/preview?position=${position}`).then(
      (p) => {
        if (!live) return;
        setPreview(p);
        setError(null);
        setLoaded(`${position}:${refresh}`);
      },
      (e) => {
        if (!live) return;
        setError(e instanceof ApiClientError ? e.message : "No preview.");
        setLoaded(`${position}:${refresh}`);
      },
    );
    return () => {
      live = false;
    };
  }, [campaignId, position, refresh]);

  return (
    <Paper variant="outlined" sx={{ p: 2 }} component="section" aria-labelledby="preview-title">
      <Stack direction="row" spacing={1} useFlexGap sx={{ alignItems: "center", mb: 1, flexWrap: "wrap" }}>
        <Typography id="preview-title" variant="h6" component="h2" sx={{ flexGrow: 1 }}>
          Preview: row {position} of {total}
        </Typography>
        <Button size="small" disabled={position <= 1} onClick={() => setPosition((p) => p - 1)}>
          Previous
        </Button>
        <Button size="small" disabled={position >= total} onClick={() => setPosition((p) => p + 1)}>
          Next
        </Button>
      </Stack>
      {loaded !== wanted && <LinearProgress aria-label="Loading the preview" sx={{ mb: 1 }} />}
      {error && <Alert severity="warning">{error}</Alert>}
      {preview?.aiOpeningError && !error && (
        <Alert severity="warning" sx={{ mb: 1 }}>
          No AI opening line for this row yet: {preview.aiOpeningError}
        </Alert>
      )}
      {preview && !error && (
        <Stack spacing={1}>
          <Typography variant="body2">To: {preview.to}</Typography>
          {preview.aiOpening && (
            <Typography variant="body2" color="text.secondary" data-testid="preview-ai-opening">
              AI opening line: {preview.aiOpening}
            </Typography>
          )}
          <Typography variant="subtitle1" data-testid="preview-subject">
            {preview.subject || "(no subject)"}
          </Typography>
          <SafeHtmlFrame html={preview.html} title={`Preview of row ${position}`} />
        </Stack>
      )}
    </Paper>
  );
}
