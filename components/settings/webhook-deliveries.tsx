"use client";
import Alert from "@mui/material/Alert";
import Button from "@mui/material/Button";
import Chip from "@mui/material/Chip";
import Stack from "@mui/material/Stack";
import Typography from "@mui/material/Typography";
import { useCallback, useEffect, useState } from "react";
import { formatDateTime } from "@/components/ui/format";
import { ApiClientError, fetchJson } from "@/lib/api/client";
import type { WebhookDeliveryView } from "@/lib/webhooks/endpoints";

const statusColor = { pending: "default", delivered: "success", failed: "error" } as const;

/** A webhook's recent deliveries with their attempts (status, time taken), and Replay. */
export function WebhookDeliveries({ webhookId }: { webhookId: string }) {
  const [deliveries, setDeliveries] = useState<WebhookDeliveryView[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      const page = await fetchJson<{ deliveries: WebhookDeliveryView[] }>(
        `/api/webhooks/${webhookId}/deliveries?limit=10`,
      );
      setDeliveries(page.deliveries);
      setError(null);
    } catch (e) {
      setError(e instanceof ApiClientError ? e.message : "Could not load the deliveries.");
    }
  }, [webhookId]);

  useEffect(() => {
    const timer = setTimeout(() => void load(), 0);
    // Pending deliveries change by themselves: look again every few seconds while this is open.
    const poll = setInterval(() => void load(), 3000);
    return () => {
      clearTimeout(timer);
      clearInterval(poll);
    };
  }, [load]);

  async function replay(id: string) {
    try {
      await fetchJson(`/api/webhooks/${webhookId}/deliveries/${id}/replay`, { method: "POST" });
      await load();
    } catch (e) {
      setError(e instanceof ApiClientError ? e.message : "Could not replay it.");
    }
  }

  if (error) return <Alert severity="error">{error}</Alert>;
  if (deliveries === null)
    return (
      <Typography variant="body2" color="text.secondary" role="status">
        Loading deliveries…
      </Typography>
    );
  if (deliveries.length === 0)
    return (
      <Typography variant="body2" color="text.secondary">
        No deliveries yet.
      </Typography>
    );
  return (
    <Stack component="ul" aria-label="Deliveries" spacing={1} sx={{ listStyle: "none", m: 0, p: 0 }}>
      {deliveries.map((d) => (
        <Stack
          component="li"
          key={d.id}
          direction={{ xs: "column", sm: "row" }}
          spacing={1}
          sx={{ alignItems: { sm: "center" } }}
        >
          <Chip size="small" label={d.status} color={statusColor[d.status]} />
          <Typography variant="body2" sx={{ flex: 1 }}>
            {d.type} · {formatDateTime(d.createdAt)} ·{" "}
            {d.attemptLog.length === 0
              ? "not tried yet"
              : d.attemptLog
                  .map((a) => `${a.statusCode ?? a.error ?? "no answer"} in ${a.durationMs} ms`)
                  .join(", ")}
            {d.status === "pending" &&
              d.nextAttemptAt &&
              d.attempts > 0 &&
              ` · next try ${formatDateTime(d.nextAttemptAt)}`}
          </Typography>
          <Button size="small" onClick={() => void replay(d.id)}>
            Replay
          </Button>
        </Stack>
      ))}
    </Stack>
  );
}
