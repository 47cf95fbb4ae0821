"use client";
import Alert from "@mui/material/Alert";
import LinearProgress from "@mui/material/LinearProgress";
import Paper from "@mui/material/Paper";
import Stack from "@mui/material/Stack";
import Typography from "@mui/material/Typography";
import { useEffect, useState } from "react";
import { ApiClientError, fetchJson } from "@/lib/api/client";

type Status = {
  configured: boolean;
  model: string;
  usage: {
    todayTokens: number;
    dailyBudget: number;
    days: { day: string; feature: string; requests: number; tokens: number }[];
  };
};

/**
 * The AI assistant's configuration and this user's token usage. Server settings are named to admins only: an
 * end user cannot set them, and is told whom to ask instead.
 */
export function AiUsagePanel({ isAdmin }: { isAdmin: boolean }) {
  const [status, setStatus] = useState<Status | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    fetchJson<Status>("/api/ai/status").then(setStatus, (e) =>
      setError(e instanceof ApiClientError ? e.message : "Could not load AI usage."),
    );
  }, []);

  const byDay = new Map<string, { requests: number; tokens: number }>();
  for (const d of status?.usage.days ?? []) {
    const t = byDay.get(d.day) ?? { requests: 0, tokens: 0 };
    byDay.set(d.day, { requests: t.requests + d.requests, tokens: t.tokens + d.tokens });
  }
  const share = status ? Math.min(100, (100 * status.usage.todayTokens) / status.usage.dailyBudget) : 0;

  return (
    <Stack spacing={2} sx={{ maxWidth: 900 }}>
      <Typography variant="h6" component="h2">
        AI assistant
      </Typography>
      {error && <Alert severity="error">{error}</Alert>}
      {status && !status.configured && (
        <Alert severity="info" data-testid="ai-not-configured">
          {isAdmin ? (
            <>
              AI is not configured. Set <code>OPENAI_API_KEY</code> on the server (and{" "}
              <code>OPENAI_BASE_URL</code> for an OpenAI-compatible server such as Ollama or vLLM); everything
              else works without it.
            </>
          ) : (
            "The AI assistant is not available on this server. Everything else works without it; ask your administrator if you need it."
          )}
        </Alert>
      )}
      {status && (
        <Paper variant="outlined" sx={{ p: 2 }} data-testid="ai-usage">
          <Typography variant="body2">
            Model: <strong>{status.model}</strong>
          </Typography>
          <Typography variant="body2" sx={{ mt: 1 }}>
            Today: {status.usage.todayTokens.toLocaleString()} of {status.usage.dailyBudget.toLocaleString()}{" "}
            tokens
          </Typography>
          <LinearProgress
            variant="determinate"
            value={share}
            sx={{ mt: 1, height: 8, borderRadius: 4 }}
            aria-label="Share of today's AI allowance used"
          />
          {byDay.size > 0 && (
            <Stack component="ul" sx={{ m: 0, mt: 2, pl: 2.5 }} spacing={0.5}>
              {[...byDay.entries()].slice(0, 7).map(([day, t]) => (
                <Typography component="li" variant="body2" key={day}>
                  {day}: {t.requests} request{t.requests === 1 ? "" : "s"}, {t.tokens.toLocaleString()} tokens
                </Typography>
              ))}
            </Stack>
          )}
        </Paper>
      )}
    </Stack>
  );
}
