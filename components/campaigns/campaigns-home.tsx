"use client";
import Alert from "@mui/material/Alert";
import Button from "@mui/material/Button";
import Chip from "@mui/material/Chip";
import CircularProgress from "@mui/material/CircularProgress";
import LinearProgress from "@mui/material/LinearProgress";
import Link from "@mui/material/Link";
import Paper from "@mui/material/Paper";
import Stack from "@mui/material/Stack";
import Typography from "@mui/material/Typography";
import NextLink from "next/link";
import { useRouter } from "next/navigation";
import { useCallback, useEffect, useRef, useState } from "react";
import { SuppressionList } from "@/components/campaigns/suppression-list";
import { TemplateList } from "@/components/campaigns/template-list";
import { statusLabel, type Campaign } from "@/components/campaigns/types";
import { ApiClientError, fetchJson } from "@/lib/api/client";

/** Campaigns: import a CSV to start one, the list with progress, templates and the suppression list. */
export function CampaignsHome() {
  const router = useRouter();
  const [campaigns, setCampaigns] = useState<Campaign[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [uploading, setUploading] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  const load = useCallback(async () => {
    try {
      setCampaigns((await fetchJson<{ campaigns: Campaign[] }>("/api/campaigns")).campaigns);
    } catch (e) {
      setError(e instanceof ApiClientError ? e.message : "Could not load the campaigns.");
    }
  }, []);
  useEffect(() => {
    // Loaded after mount: fetch resolves asynchronously, nothing is set synchronously here.
    const timer = setTimeout(() => void load(), 0);
    return () => clearTimeout(timer);
  }, [load]);

  async function upload(file: File) {
    setUploading(true);
    setError(null);
    try {
      const name = file.name.replace(/\.(csv|txt)$/i, "");
      const { campaign } = await fetchJson<{ campaign: Campaign }>(
        `/api/campaigns?name=${encodeURIComponent(name)}`,
        { method: "POST", headers: { "content-type": "text/csv" }, body: file },
      );
      router.push(`/campaigns/${campaign.id}`);
    } catch (e) {
      setError(e instanceof ApiClientError ? e.message : "The file could not be imported.");
      setUploading(false);
    }
  }

  return (
    <Stack spacing={3} sx={{ maxWidth: 960, mx: "auto", p: { xs: 2, sm: 3 } }}>
      <Stack direction={{ xs: "column", sm: "row" }} spacing={2} sx={{ alignItems: { sm: "center" } }}>
        <Typography variant="h5" component="h1" sx={{ flexGrow: 1 }}>
          Campaigns
        </Typography>
        <input
          ref={input}
          type="file"
          accept=".csv,text/csv,text/plain"
          hidden
          data-testid="csv-input"
          onChange={(e) => {
            const file = e.target.files?.[0];
            if (file) void upload(file);
            e.target.value = "";
          }}
        />
        <Button variant="contained" onClick={() => input.current?.click()} disabled={uploading}>
          {uploading ? "Importing…" : "Import a CSV"}
        </Button>
      </Stack>
      <Typography variant="body2" color="text.secondary">
        A header row, then one recipient a row; commas or semicolons; up to 50,000 rows and 10 MB. Each row
        fills a template and goes through your own sender, at the pace its provider allows.
      </Typography>
      {error && <Alert severity="error">{error}</Alert>}
      {campaigns === null && !error && <CircularProgress aria-label="Loading campaigns" />}
      {campaigns?.length === 0 && (
        <Paper variant="outlined" sx={{ p: 3 }}>
          <Typography>No campaigns yet. Import a CSV of recipients to start one.</Typography>
        </Paper>
      )}
      <Stack spacing={1.5} component="ul" sx={{ listStyle: "none", p: 0, m: 0 }}>
        {campaigns?.map((c) => (
          <Paper key={c.id} variant="outlined" component="li" sx={{ p: 2 }}>
            <Stack direction="row" spacing={1} sx={{ alignItems: "center" }}>
              <Link component={NextLink} href={`/campaigns/${c.id}`} variant="subtitle1" sx={{ flexGrow: 1 }}>
                {c.name}
              </Link>
              <Chip size="small" label={statusLabel[c.status]} />
            </Stack>
            <Typography variant="body2" color="text.secondary">
              {c.counts.sent} sent · {c.counts.waiting} waiting · {c.counts.failed} failed ·{" "}
              {c.counts.skipped} skipped · {c.counts.unsubscribed} unsubscribed
            </Typography>
            {c.status !== "draft" && (
              <LinearProgress
                variant="determinate"
                aria-label={`${c.name}: progress`}
                value={progressOf(c)}
                sx={{ mt: 1 }}
              />
            )}
          </Paper>
        ))}
      </Stack>
      <TemplateList />
      <SuppressionList />
    </Stack>
  );
}

export function progressOf(c: Campaign): number {
  const goes = c.counts.total - c.counts.skipped;
  return goes === 0 ? 100 : (100 * (goes - c.counts.waiting)) / goes;
}
