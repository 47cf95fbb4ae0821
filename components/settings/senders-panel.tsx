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
import { useEffect, useState } from "react";
import dynamic from "next/dynamic";
import { SenderDkim } from "@/components/settings/sender-dkim";
import { ApiClientError, fetchJson } from "@/lib/api/client";
import type { SenderView } from "@/lib/senders/senders";

// The dialogs are rendered only while open: they load when first opened, not with the page (docs/performance.md).
const SenderDialog = dynamic(
  () => import("@/components/settings/sender-dialog").then((m) => m.SenderDialog),
  {
    ssr: false,
  },
);
const SignatureDialog = dynamic(
  () => import("@/components/settings/signature-dialog").then((m) => m.SignatureDialog),
  { ssr: false },
);

type TestResult = { ok: boolean; message: string; testedAt: string };

/** What came back from "Connect Google/Microsoft" (the callback redirects to Settings with it). */
export type ConnectNotice = { ok: true } | { ok: false; reason: string };

const connectFailures: Record<string, string> = {
  denied: "The connection was cancelled at the provider; nothing was saved.",
  expired: "The sign-in took too long or started in another browser. Try Connect again.",
  refused: "The provider's answer could not be verified, so nothing was saved. Try Connect again.",
  account: "Reconnect with the same account the sender was connected with.",
  unavailable: "The provider could not be reached. Try again in a moment.",
};

export function SendersPanel({
  initial,
  oauthProviders = [],
  connectNotice = null,
}: {
  initial: SenderView[];
  /** The providers the admin configured (lib/oauth/providers.ts): a Connect button each. */
  oauthProviders?: { id: string; name: string }[];
  connectNotice?: ConnectNotice | null;
}) {
  const [senders, setSenders] = useState(initial);
  const [dialog, setDialog] = useState<{ open: boolean; editing: SenderView | null }>({
    open: false,
    editing: null,
  });
  const [testing, setTesting] = useState<string | null>(null);
  const [signatureOf, setSignatureOf] = useState<SenderView | null>(null);
  const [results, setResults] = useState<Record<string, TestResult>>({});
  const [error, setError] = useState<string | null>(null);

  // The first run's "Connect your own account" arrives with ?add=1: open the form with its presets.
  useEffect(() => {
    if (new URLSearchParams(window.location.search).get("add") !== "1") return;
    const timer = setTimeout(() => setDialog({ open: true, editing: null }), 0);
    return () => clearTimeout(timer);
  }, []);

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
        <Stack direction="row" spacing={1} useFlexGap sx={{ flexWrap: "wrap", justifyContent: "flex-end" }}>
          {oauthProviders.map((p) => (
            // A full navigation: the server redirects on to the provider's sign-in.
            <Button key={p.id} variant="outlined" href={`/api/senders/oauth/${p.id}/start`}>
              Connect {p.name}
            </Button>
          ))}
          <Button
            startIcon={<AddOutlined />}
            variant="contained"
            onClick={() => setDialog({ open: true, editing: null })}
          >
            Add sender
          </Button>
        </Stack>
      </Stack>
      {connectNotice && (
        <Alert severity={connectNotice.ok ? "success" : "error"} data-testid="connect-notice">
          {connectNotice.ok
            ? "Connected. SecureVault signs in with the provider's permission; no password is stored."
            : (connectFailures[connectNotice.reason] ?? connectFailures.refused)}
        </Alert>
      )}
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
                {s.connectedWith && (
                  <Chip
                    size="small"
                    label={`Connected with ${s.connectedWith === "google" ? "Google" : "Microsoft"}`}
                  />
                )}
              </Stack>
              <Typography variant="body2" color="text.secondary">
                {s.fromName ? `${s.fromName} <${s.fromEmail}>` : s.fromEmail}
                {s.host ? ` · ${s.host}:${s.port} (${s.security})` : ""}
              </Typography>
              <Typography variant="body2" color="text.secondary" data-testid="signature-state">
                {s.signatureHtml ? "Signature: added to new messages" : "No signature"}
              </Typography>
              {s.signInFailed && s.connectedWith && (
                <Alert
                  severity="warning"
                  sx={{ mt: 1 }}
                  data-testid="sign-in-failed"
                  action={
                    <Button
                      color="inherit"
                      size="small"
                      href={`/api/senders/oauth/${s.connectedWith}/start?sender=${s.id}`}
                    >
                      Reconnect
                    </Button>
                  }
                >
                  {s.label} needs to be reconnected. Its messages wait until then. {s.signInFailed.reason}
                </Alert>
              )}
              {s.signInFailed && !s.connectedWith && (
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
              {s.kind !== "sandbox" && (
                <SenderDkim
                  sender={s}
                  onSaved={(saved) => setSenders((list) => list.map((x) => (x.id === saved.id ? saved : x)))}
                />
              )}
            </CardContent>
            <CardActions>
              <Button size="small" onClick={() => test(s)} disabled={testing === s.id}>
                {testing === s.id ? "Testing…" : "Test connection"}
              </Button>
              {/* A connected account's sign-in is the provider's: reconnect instead of editing it. */}
              {!s.connectedWith && (
                <Button size="small" onClick={() => setDialog({ open: true, editing: s })}>
                  Edit
                </Button>
              )}
              <Button size="small" onClick={() => setSignatureOf(s)}>
                Signature
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
        {signatureOf && (
          <SignatureDialog
            sender={signatureOf}
            onClose={() => setSignatureOf(null)}
            onSaved={(signatureHtml) => {
              setSenders((list) => list.map((s) => (s.id === signatureOf.id ? { ...s, signatureHtml } : s)));
              setSignatureOf(null);
            }}
          />
        )}
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
