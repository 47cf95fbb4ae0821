"use client";
import Alert from "@mui/material/Alert";
import Button from "@mui/material/Button";
import Stack from "@mui/material/Stack";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useUser } from "@/components/layout/user-context";
import { LocalTime } from "@/components/ui/local-time";
import { ApiClientError, fetchJson } from "@/lib/api/client";
import type { MessageDetail, MessageSummary } from "@/lib/messages/message-view";

/**
 * For a message that waits on the server (scheduled, or inside the undo window): Send now and Cancel. For one
 * that waits because its last attempt failed (say its sender's sign-in was refused): the reason, Retry now and
 * Cancel. For a cancelled one: take it back into a draft on this device.
 */
export function WaitingControls({
  message,
  onChange,
}: {
  message: MessageDetail;
  onChange: (m: MessageDetail) => void;
}) {
  const user = useUser();
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function act(action: "cancel" | "send-now") {
    setBusy(true);
    setError(null);
    try {
      const { message: updated } = await fetchJson<{ message: MessageSummary }>(
        `/api/messages/${message.id}/${action}`,
        { method: "POST" },
      );
      onChange({ ...message, ...updated });
    } catch (e) {
      setError(e instanceof ApiClientError ? e.message : "That did not work. Check your connection.");
      try {
        onChange((await fetchJson<{ message: MessageDetail }>(`/api/messages/${message.id}`)).message);
      } catch {
        // Keep what we show; the page refreshes while the message is in progress.
      }
    } finally {
      setBusy(false);
    }
  }

  async function editAsDraft() {
    const { saveDraft } = await import("@/lib/offline/drafts");
    const id = crypto.randomUUID();
    await saveDraft(
      {
        id,
        userId: user.id,
        senderId: message.senderId ?? "",
        to: message.to,
        cc: message.cc,
        bcc: message.bcc,
        subject: message.subject,
        html: message.html,
        updatedAt: Date.now(),
      },
      false,
    );
    router.push(`/compose?draft=${id}`);
  }

  const stuck = message.status === "queued" && Boolean(message.lastError) && !message.sendAt;
  const waiting = message.status === "queued" && message.holdUntil;
  if (!stuck && !waiting && message.status !== "cancelled")
    return error ? <Alert severity="error">{error}</Alert> : null;

  return (
    <Stack spacing={1}>
      {error && <Alert severity="error">{error}</Alert>}
      {stuck ? (
        <Alert
          severity="warning"
          data-testid="stuck-warning"
          action={
            <Stack direction="row" spacing={1}>
              <Button color="inherit" size="small" disabled={busy} onClick={() => void act("send-now")}>
                Retry now
              </Button>
              <Button color="inherit" size="small" disabled={busy} onClick={() => void act("cancel")}>
                Cancel sending
              </Button>
            </Stack>
          }
        >
          Not sent yet: {message.lastError}
          {message.nextAttemptAt && (
            <>
              {" "}
              Next try <LocalTime iso={message.nextAttemptAt} />.
            </>
          )}{" "}
          Fix the sender in Settings, then retry.
        </Alert>
      ) : waiting ? (
        <Alert
          severity="info"
          action={
            <Stack direction="row" spacing={1}>
              {message.sendAt && (
                <Button color="inherit" size="small" disabled={busy} onClick={() => void act("send-now")}>
                  Send now
                </Button>
              )}
              <Button color="inherit" size="small" disabled={busy} onClick={() => void act("cancel")}>
                Cancel sending
              </Button>
            </Stack>
          }
        >
          {message.sendAt ? (
            <>
              Scheduled for <LocalTime iso={message.sendAt} />.
            </>
          ) : (
            <>
              Waits until <LocalTime iso={message.holdUntil!} /> so it can be undone.
            </>
          )}
        </Alert>
      ) : (
        <Alert
          severity="warning"
          action={
            <Button color="inherit" size="small" onClick={() => void editAsDraft()}>
              Edit as draft
            </Button>
          }
        >
          Cancelled — this message was not sent.
        </Alert>
      )}
    </Stack>
  );
}
