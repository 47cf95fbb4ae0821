"use client";
import AddOutlined from "@mui/icons-material/AddOutlined";
import Alert from "@mui/material/Alert";
import Box from "@mui/material/Box";
import Button from "@mui/material/Button";
import Card from "@mui/material/Card";
import CardActions from "@mui/material/CardActions";
import CardContent from "@mui/material/CardContent";
import Chip from "@mui/material/Chip";
import Stack from "@mui/material/Stack";
import Typography from "@mui/material/Typography";
import { useState } from "react";
import { SenderDialog } from "@/components/settings/sender-dialog";
import { ApiClientError, fetchJson } from "@/lib/api/client";
import type { SenderView } from "@/lib/senders/senders";

type TestResult = { ok: boolean; message: string; testedAt: string };

export function SendersPanel({ initial }: { initial: SenderView[] }) {
  const [senders, setSenders] = useState(initial);
  const [dialog, setDialog] = useState<{ open: boolean; editing: SenderView | null }>({
    open: false,
    editing: null,
  });
  const [testing, setTesting] = useState<string | null>(null);
  const [results, setResults] = useState<Record<string, TestResult>>({});
  const [error, setError] = useState<string | null>(null);

  async function test(sender: SenderView) {
    setTesting(sender.id);
    try {
      const { result } = await fetchJson<{ result: TestResult }>(`/api/senders/${sender.id}/test`, {
        method: "POST",
      });
      setResults((r) => ({ ...r, [sender.id]: result }));
      // Signed in: the server no longer refuses it, and its waiting messages go (the server cleared it too).
      if (result.ok)
        setSenders((list) => list.map((s) => (s.id === sender.id ? { ...s, signInFailed: null } : s)));
    } catch (e) {
      setResults((r) => ({
        ...r,
        [sender.id]: {
          ok: false,
          message: e instanceof ApiClientError ? e.message : "Test failed.",
          testedAt: "",
        },
      }));
    } finally {
      setTesting(null);
    }
  }

  async function remove(sender: SenderView) {
    if (!window.confirm(`Remove ${sender.label}? Messages already sent stay in Sent.`)) return;
    try {
      await fetchJson(`/api/senders/${sender.id}`, { method: "DELETE" });
      setSenders((list) => list.filter((s) => s.id !== sender.id));
    } catch (e) {
      setError(e instanceof ApiClientError ? e.message : "Could not remove the sender.");
    }
  }

  return (
    <Stack spacing={2} sx={{ maxWidth: 900 }}>
      <Stack direction="row" sx={{ alignItems: "center", justifyContent: "space-between" }}>
        <Typography variant="h6" component="h2">
          Senders
        </Typography>
        <Button
          startIcon={<AddOutlined />}
          variant="contained"
          onClick={() => setDialog({ open: true, editing: null })}
        >
          Add sender
        </Button>
      </Stack>
      {error && (
        <Alert severity="error" onClose={() => setError(null)}>
          {error}
        </Alert>
      )}
      {senders.map((s) => {
        const result =
          results[s.id] ??
          (s.lastTestedAt
            ? { ok: !!s.lastTestOk, message: s.lastTestMessage ?? "", testedAt: s.lastTestedAt }
            : null);
        return (
          <Card key={s.id} variant="outlined" data-testid="sender-card">
            <CardContent>
              <Stack direction="row" spacing={1} useFlexGap sx={{ alignItems: "center", flexWrap: "wrap" }}>
                <Typography variant="subtitle1" sx={{ fontWeight: 600 }}>
                  {s.label}
                </Typography>
                {s.kind === "sandbox" && <Chip size="small" label="Built-in" color="secondary" />}
              </Stack>
              <Typography variant="body2" color="text.secondary">
                {s.fromName ? `${s.fromName} <${s.fromEmail}>` : s.fromEmail}
                {s.host ? ` · ${s.host}:${s.port} (${s.security})` : ""}
              </Typography>
              {s.signInFailed && (
                <Alert severity="warning" sx={{ mt: 1 }} data-testid="sign-in-failed">
                  Sign-in to {s.label} failed — fix the password (Edit) or run Test connection once the server
                  accepts it. Its messages wait until then. {s.signInFailed.reason}
                </Alert>
              )}
              {result && (
                <Alert severity={result.ok ? "success" : "error"} sx={{ mt: 1 }} data-testid="test-result">
                  {result.message}
                </Alert>
              )}
            </CardContent>
            <CardActions>
              <Button size="small" onClick={() => test(s)} disabled={testing === s.id}>
                {testing === s.id ? "Testing…" : "Test connection"}
              </Button>
              <Button size="small" onClick={() => setDialog({ open: true, editing: s })}>
                Edit
              </Button>
              {s.kind !== "sandbox" && (
                <Button size="small" color="error" onClick={() => remove(s)}>
                  Remove
                </Button>
              )}
            </CardActions>
          </Card>
        );
      })}
      <Box>
        {dialog.open && (
          <SenderDialog
            open
            editing={dialog.editing}
            onClose={() => setDialog({ open: false, editing: null })}
            onSaved={(saved) => {
              setSenders((list) =>
                list.some((s) => s.id === saved.id)
                  ? list.map((s) => (s.id === saved.id ? saved : s))
                  : [...list, saved],
              );
              setResults((r) => {
                const next = { ...r };
                delete next[saved.id];
                return next;
              });
              setDialog({ open: false, editing: null });
            }}
          />
        )}
      </Box>
    </Stack>
  );
}
