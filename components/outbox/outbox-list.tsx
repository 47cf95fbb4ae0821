"use client";
import WarningAmber from "@mui/icons-material/WarningAmber";
import Alert from "@mui/material/Alert";
import Button from "@mui/material/Button";
import Card from "@mui/material/Card";
import CardActions from "@mui/material/CardActions";
import CardContent from "@mui/material/CardContent";
import Chip from "@mui/material/Chip";
import Paper from "@mui/material/Paper";
import Stack from "@mui/material/Stack";
import Typography from "@mui/material/Typography";
import Dexie from "dexie";
import { useLiveQuery } from "dexie-react-hooks";
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { useUser } from "@/components/layout/user-context";
import { recipientsText } from "@/components/ui/format";
import { offlineDb, type OutboxItem } from "@/lib/offline/db";
import { useOnline } from "@/lib/offline/hooks";
import { moveToDrafts, replayFromPage } from "@/lib/offline/outbox-client";

const stateLook: Record<OutboxItem["state"], { label: string; color: "default" | "info" | "warning" }> = {
  queued: { label: "Waiting to send", color: "default" },
  sending: { label: "Sending", color: "info" },
  "needs-attention": { label: "Needs attention", color: "warning" },
};

export function OutboxList() {
  const user = useUser();
  const router = useRouter();
  const online = useOnline();
  const now = useNow(30_000);
  const [retrying, setRetrying] = useState(false);
  const [status, setStatus] = useState<string | null>(null);
  const items = useLiveQuery(
    () =>
      offlineDb()
        .outbox.where("[userId+queuedAt]")
        .between([user.id, Dexie.minKey], [user.id, Dexie.maxKey])
        .toArray(),
    [user.id],
  );

  async function retryNow() {
    setRetrying(true);
    setStatus(null);
    const result = await replayFromPage();
    setRetrying(false);
    if (!result)
      setStatus("SecureVault could not be reached. The Outbox will try again when the connection returns.");
    else if (result.outcome === "signed-out") setStatus("Sign in again to send these messages.");
  }

  async function edit(item: OutboxItem) {
    const draftId = await moveToDrafts(item.key);
    if (draftId) router.push(`/compose?draft=${draftId}`);
  }

  async function remove(item: OutboxItem) {
    if (!window.confirm(`Delete “${item.message.subject || "(no subject)"}”? It has not been sent.`)) return;
    await offlineDb().outbox.delete(item.key);
  }

  return (
    <Stack spacing={2} sx={{ maxWidth: 900 }}>
      <Stack
        direction="row"
        sx={{ alignItems: "center", justifyContent: "space-between", flexWrap: "wrap", gap: 1 }}
      >
        <div>
          <Typography variant="h5" component="h1">
            Outbox
          </Typography>
          <Typography variant="body2" color="text.secondary">
            Messages written without a connection wait here and go out by themselves when it returns.
          </Typography>
        </div>
        <Button variant="outlined" onClick={retryNow} disabled={retrying || !items?.length}>
          {retrying ? "Sending…" : "Retry now"}
        </Button>
      </Stack>
      {!online && (
        <Alert severity="info">
          You are offline. Queued messages will be sent when the connection returns.
        </Alert>
      )}
      {status && <Alert severity="warning">{status}</Alert>}
      {items === undefined ? null : items.length === 0 ? (
        <Paper variant="outlined" sx={{ p: 4, textAlign: "center" }}>
          <Typography color="text.secondary">
            The Outbox is empty: everything you sent has reached SecureVault.
          </Typography>
        </Paper>
      ) : (
        items.map((item) => {
          const look = stateLook[item.state];
          const m = item.message;
          return (
            <Card
              key={item.key}
              variant="outlined"
              data-testid="outbox-item"
              data-attention={item.state === "needs-attention" ? "warning" : undefined}
              // The same marker as Sent: a coloured leading edge besides the chip, so it does not rest on colour alone.
              sx={
                item.state === "needs-attention"
                  ? { borderLeft: 4, borderLeftColor: "warning.main" }
                  : undefined
              }
            >
              <CardContent>
                <Stack direction="row" spacing={1} sx={{ alignItems: "center", flexWrap: "wrap" }} useFlexGap>
                  <Typography variant="subtitle1" sx={{ fontWeight: 600, wordBreak: "break-word" }}>
                    {m.subject || "(no subject)"}
                  </Typography>
                  <Chip
                    size="small"
                    label={look.label}
                    color={look.color}
                    icon={item.state === "needs-attention" ? <WarningAmber /> : undefined}
                    data-state={item.state}
                  />
                </Stack>
                <Typography variant="body2" color="text.secondary">
                  To {recipientsText([...m.to, ...m.cc, ...m.bcc])} · queued {age(now - item.queuedAt)}
                  {item.attempts > 0 ? ` · ${item.attempts} attempt${item.attempts === 1 ? "" : "s"}` : ""}
                </Typography>
                {item.error && (
                  <Alert severity="warning" sx={{ mt: 1 }}>
                    {item.error.message} Edit the message to fix it, then send it again.
                  </Alert>
                )}
              </CardContent>
              <CardActions>
                <Button size="small" onClick={() => void edit(item)} disabled={item.state === "sending"}>
                  Edit
                </Button>
                <Button
                  size="small"
                  color="error"
                  onClick={() => void remove(item)}
                  disabled={item.state === "sending"}
                >
                  Delete
                </Button>
              </CardActions>
            </Card>
          );
        })
      )}
    </Stack>
  );
}

function useNow(intervalMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

function age(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) return "just now";
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  return `${Math.floor(hours / 24)} d ago`;
}
