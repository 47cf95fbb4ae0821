"use client";
import Alert from "@mui/material/Alert";
import Button from "@mui/material/Button";
import Chip from "@mui/material/Chip";
import FormControlLabel from "@mui/material/FormControlLabel";
import Switch from "@mui/material/Switch";
import CircularProgress from "@mui/material/CircularProgress";
import LinearProgress from "@mui/material/LinearProgress";
import Paper from "@mui/material/Paper";
import Stack from "@mui/material/Stack";
import Typography from "@mui/material/Typography";
import dynamic from "next/dynamic";
import { useCallback, useEffect, useState } from "react";
import { progressOf } from "@/components/campaigns/campaigns-home";
import { CampaignPreview } from "@/components/campaigns/campaign-preview";
import { RecipientResults } from "@/components/campaigns/recipient-results";
import {
  statusLabel,
  type Campaign,
  type DryRun,
  type ImportReport,
  type Template,
} from "@/components/campaigns/types";
import { Placeholder } from "@/components/ui/light-feedback";
import SelectField from "@/components/ui/select-field";
import TextField from "@/components/ui/text-field";
import { ApiClientError, fetchJson } from "@/lib/api/client";

// The template editor brings the rich editor (Tiptap) with it: loaded when it is shown, not with the page.
const TemplateEditor = dynamic(
  () => import("@/components/campaigns/template-editor").then((m) => m.TemplateEditor),
  { ssr: false, loading: () => <Placeholder height={420} label="Loading the template editor" /> },
);

type Sender = { id: string; label: string; fromEmail: string };

/** One campaign: mapping, sender and template while a draft; dry run; start; progress, pause, resume, results. */
export function CampaignDetail({ id }: { id: string }) {
  const [campaign, setCampaign] = useState<Campaign | null>(null);
  const [report, setReport] = useState<ImportReport | null>(null);
  const [senders, setSenders] = useState<Sender[]>([]);
  const [templates, setTemplates] = useState<Template[]>([]);
  const [content, setContent] = useState({ subject: "", html: "" });
  const [dryRun, setDryRun] = useState<DryRun | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(0);

  const load = useCallback(async () => {
    try {
      const data = await fetchJson<{ campaign: Campaign; report: ImportReport }>(`/api/campaigns/${id}`);
      setCampaign(data.campaign);
      setReport(data.report);
      return data.campaign;
    } catch (e) {
      setError(e instanceof ApiClientError ? e.message : "Could not load the campaign.");
      return null;
    }
  }, [id]);

  useEffect(() => {
    // Loaded after mount: fetch resolves asynchronously, nothing is set synchronously here.
    const timer = setTimeout(() => {
      void load().then((c) => c && setContent({ subject: c.subject, html: c.html }));
      void fetchJson<{ senders: Sender[] }>("/api/senders").then(
        (d) => setSenders(d.senders),
        () => undefined,
      );
      void fetchJson<{ templates: Template[] }>("/api/templates").then(
        (d) => setTemplates(d.templates),
        () => undefined,
      );
    }, 0);
    return () => clearTimeout(timer);
  }, [load]);

  // While it sends, the figures follow.
  const running = campaign?.status === "running";
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => void load(), 2000);
    return () => clearInterval(timer);
  }, [running, load]);

  async function run(label: string, action: () => Promise<unknown>) {
    setBusy(label);
    setError(null);
    try {
      await action();
      await load();
    } catch (e) {
      setError(e instanceof ApiClientError ? e.message : "That did not work.");
    } finally {
      setBusy(null);
    }
  }

  const patch = (json: Record<string, unknown>) =>
    run("save", async () => {
      const { campaign: next } = await fetchJson<{ campaign: Campaign }>(`/api/campaigns/${id}`, {
        method: "PATCH",
        json,
      });
      // Only a change of the message itself (or a template chosen) replaces what is in the editor: choosing
      // the sender while the user types must not put back the saved text.
      if ("subject" in json || "html" in json || "templateId" in json)
        setContent({ subject: next.subject, html: next.html });
      setDryRun(null);
      setSaved((n) => n + 1);
    });

  if (!campaign) {
    return (
      <Stack sx={{ p: 3 }}>
        {error ? <Alert severity="error">{error}</Alert> : <CircularProgress aria-label="Loading" />}
      </Stack>
    );
  }
  const draft = campaign.status === "draft";
  const variables = campaign.columns.map((c) => c.variable);
  if (campaign.aiOpeningEnabled) variables.push("ai_opening");
  const c = campaign.counts;

  return (
    <Stack spacing={2.5} sx={{ maxWidth: 960, mx: "auto", p: { xs: 2, sm: 3 } }}>
      <Stack direction="row" spacing={1} sx={{ alignItems: "center" }}>
        <Typography variant="h5" component="h1" sx={{ flexGrow: 1 }}>
          {campaign.name}
        </Typography>
        <Chip label={statusLabel[campaign.status]} data-testid="campaign-status" />
      </Stack>
      {error && <Alert severity="error">{error}</Alert>}

      {report && (
        <Paper variant="outlined" sx={{ p: 2 }}>
          <Typography variant="h6" component="h2">
            Recipients
          </Typography>
          <Typography data-testid="import-summary">
            {report.rows} rows: {report.valid} will go, {report.invalid.length} without a valid address,{" "}
            {report.duplicates.length} duplicates.
          </Typography>
          {[...report.invalid, ...report.duplicates].slice(0, 20).map((p) => (
            <Typography key={p.position} variant="body2" color="text.secondary">
              Row {p.position} ({p.value || "empty"}): {p.reason}
            </Typography>
          ))}
          <SelectField
            size="small"
            label="Email address column"
            value={campaign.emailColumn}
            disabled={!draft || busy !== null}
            onChange={(e) => void patch({ emailColumn: e.target.value })}
            sx={{ mt: 2, minWidth: { xs: "100%", sm: 240 } }}
          >
            {campaign.columns.map((col) => (
              <option key={col.variable} value={col.variable}>
                {col.header} ({col.variable})
              </option>
            ))}
          </SelectField>
        </Paper>
      )}

      <Paper variant="outlined" sx={{ p: 2 }}>
        <Stack spacing={2}>
          <Typography variant="h6" component="h2">
            Message
          </Typography>
          <Stack direction={{ xs: "column", sm: "row" }} spacing={2}>
            <SelectField
              size="small"
              label="Send through"
              value={campaign.senderId ?? ""}
              disabled={!draft}
              onChange={(e) => void patch({ senderId: e.target.value })}
              sx={{ minWidth: { xs: "100%", sm: 240 } }}
            >
              {!campaign.senderId && (
                <option value="" disabled>
                  Choose a sender
                </option>
              )}
              {senders.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.label} ({s.fromEmail})
                </option>
              ))}
            </SelectField>
            {draft && templates.length > 0 && (
              <SelectField
                size="small"
                label="Use a template"
                value=""
                onChange={(e) => void patch({ templateId: e.target.value })}
                sx={{ minWidth: { xs: "100%", sm: 240 } }}
              >
                <option value="" disabled>
                  Choose a template
                </option>
                {templates.map((t) => (
                  <option key={t.id} value={t.id}>
                    {t.name}
                  </option>
                ))}
              </SelectField>
            )}
          </Stack>
          <TemplateEditor value={content} onChange={setContent} variables={variables} disabled={!draft} />
          <AiOpeningSettings
            campaign={campaign}
            disabled={!draft || busy !== null}
            onSave={(json) => void patch(json)}
          />
          {draft && (
            <Stack direction="row" spacing={1}>
              <Button variant="outlined" onClick={() => void patch(content)} disabled={busy !== null}>
                Save message
              </Button>
            </Stack>
          )}
        </Stack>
      </Paper>

      <CampaignPreview campaignId={id} total={c.total} refresh={saved} />

      {draft && (
        <Paper variant="outlined" sx={{ p: 2 }}>
          <Stack spacing={1.5}>
            <Typography variant="h6" component="h2">
              Check and start
            </Typography>
            <Stack direction="row" spacing={1} useFlexGap sx={{ flexWrap: "wrap" }}>
              <Button
                variant="outlined"
                disabled={busy !== null}
                onClick={() =>
                  void run("dry-run", async () => {
                    await fetchJson(`/api/campaigns/${id}`, { method: "PATCH", json: content });
                    setDryRun(
                      (
                        await fetchJson<{ dryRun: DryRun }>(`/api/campaigns/${id}/dry-run`, {
                          method: "POST",
                        })
                      ).dryRun,
                    );
                  })
                }
              >
                {busy === "dry-run" ? "Checking every row…" : "Dry run"}
              </Button>
              <Button
                variant="contained"
                disabled={busy !== null}
                onClick={() =>
                  void run("start", async () => {
                    await fetchJson(`/api/campaigns/${id}`, { method: "PATCH", json: content });
                    await fetchJson(`/api/campaigns/${id}/start`, { method: "POST" });
                  })
                }
              >
                Start sending
              </Button>
            </Stack>
            {dryRun && <DryRunReport report={dryRun} />}
          </Stack>
        </Paper>
      )}

      {!draft && (
        <Paper variant="outlined" sx={{ p: 2 }}>
          <Stack spacing={1.5}>
            <Typography variant="h6" component="h2">
              Progress
            </Typography>
            {campaign.status === "paused" && campaign.pausedReason && (
              <Alert severity="warning" data-testid="paused-reason">
                {campaign.pausedReason}
              </Alert>
            )}
            <LinearProgress variant="determinate" value={progressOf(campaign)} aria-label="Progress" />
            <Typography data-testid="campaign-counts">
              {c.sent} sent · {c.waiting} waiting · {c.failed} failed · {c.cancelled} cancelled · {c.skipped}{" "}
              skipped · {c.unsubscribed} unsubscribed
            </Typography>
            {campaign.startAt && new Date(campaign.startAt) > new Date() && (
              <Typography variant="body2">Starts {new Date(campaign.startAt).toLocaleString()}.</Typography>
            )}
            <Stack direction="row" spacing={1} useFlexGap sx={{ flexWrap: "wrap" }}>
              {campaign.status === "running" && (
                <Button
                  variant="outlined"
                  disabled={busy !== null}
                  onClick={() =>
                    void run("pause", () => fetchJson(`/api/campaigns/${id}/pause`, { method: "POST" }))
                  }
                >
                  Pause
                </Button>
              )}
              {campaign.status === "paused" && (
                <Button
                  variant="contained"
                  disabled={busy !== null}
                  onClick={() =>
                    void run("resume", () => fetchJson(`/api/campaigns/${id}/resume`, { method: "POST" }))
                  }
                >
                  Resume
                </Button>
              )}
              {(campaign.status === "running" || campaign.status === "paused") && (
                <Button
                  color="error"
                  disabled={busy !== null}
                  onClick={() => {
                    if (window.confirm("Cancel the campaign? Rows not yet sent will not go."))
                      void run("cancel", () => fetchJson(`/api/campaigns/${id}/cancel`, { method: "POST" }));
                  }}
                >
                  Cancel campaign
                </Button>
              )}
              <Button href={`/api/campaigns/${id}/results`}>Download results (CSV)</Button>
            </Stack>
          </Stack>
        </Paper>
      )}

      {!draft && (
        // Read again whenever an outcome changes (a sum would not: a row going from waiting to sent keeps it).
        <RecipientResults
          campaignId={id}
          refresh={`${campaign.status} ${c.sent} ${c.failed} ${c.waiting} ${c.cancelled} ${c.unsubscribed}`}
        />
      )}
    </Stack>
  );
}

/**
 * AI personalisation: on, each row gets an opening line written from its columns under this instruction, shown
 * in the preview and kept; the template shows it where {{ ai_opening }} stands.
 */
function AiOpeningSettings({
  campaign,
  disabled,
  onSave,
}: {
  campaign: Campaign;
  disabled: boolean;
  onSave: (json: { aiOpeningEnabled: boolean; aiOpeningInstruction: string }) => void;
}) {
  const [instruction, setInstruction] = useState(campaign.aiOpeningInstruction);
  const [enabled, setEnabled] = useState(campaign.aiOpeningEnabled);
  const changed =
    enabled !== campaign.aiOpeningEnabled || instruction.trim() !== campaign.aiOpeningInstruction;
  return (
    <Stack spacing={1} component="fieldset" sx={{ border: 0, p: 0, m: 0 }}>
      <FormControlLabel
        control={
          <Switch checked={enabled} disabled={disabled} onChange={(e) => setEnabled(e.target.checked)} />
        }
        label="AI opening line for each row"
      />
      {enabled && (
        <TextField
          label="What should each opening line do?"
          placeholder="Thank them for their last order, naming the product"
          value={instruction}
          disabled={disabled}
          multiline
          minRows={2}
          onChange={(e) => setInstruction(e.target.value)}
          helperText="Written once per row from its columns (shown in the preview, kept for the send); it uses your AI allowance. Put {{ ai_opening }} in the body where it goes."
        />
      )}
      {changed && (
        <Stack direction="row">
          <Button
            variant="outlined"
            size="small"
            disabled={disabled || (enabled && !instruction.trim())}
            onClick={() => onSave({ aiOpeningEnabled: enabled, aiOpeningInstruction: instruction.trim() })}
          >
            Save personalisation
          </Button>
        </Stack>
      )}
    </Stack>
  );
}

function DryRunReport({ report }: { report: DryRun }) {
  return (
    <Stack spacing={1} data-testid="dry-run-report">
      <Typography>
        {report.willSend} messages will go
        {report.suppressed ? `; ${report.suppressed} on the suppression list are left out` : ""}
        {report.skipped ? `; ${report.skipped} rows without a valid or unique address are left out` : ""}.
      </Typography>
      {report.plan && (
        <Alert severity={report.plan.days > 1 ? "warning" : "info"}>{report.plan.summary}</Alert>
      )}
      {report.unknownVariables.length > 0 && (
        <Alert severity="warning">
          No column is called {report.unknownVariables.join(", ")}: they will be empty.
        </Alert>
      )}
      {report.rowsWithFindings === 0 ? (
        <Alert severity="success">Every row fills the template without a problem.</Alert>
      ) : (
        <Alert severity="warning">
          {report.rowsWithFindings} rows need a look:
          {report.findings.slice(0, 20).map((f) => (
            <div key={f.position}>
              Row {f.position} ({f.email}): {f.problem}
            </div>
          ))}
        </Alert>
      )}
    </Stack>
  );
}
