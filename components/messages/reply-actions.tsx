"use client";
import ForwardOutlined from "@mui/icons-material/ForwardOutlined";
import ReplyAllOutlined from "@mui/icons-material/ReplyAllOutlined";
import ReplyOutlined from "@mui/icons-material/ReplyOutlined";
import Box from "@mui/material/Box";
import Button from "@mui/material/Button";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useUser } from "@/components/layout/user-context";
import { SHORTCUT_ATTR } from "@/components/layout/keyboard-shortcuts";
import { phoneTouchTarget } from "@/components/compose/touch-target";
import { replyDraftParts, type ReplyMode, type ReplySource } from "@/lib/compose/reply";
import type { Draft } from "@/lib/offline/db";

// Reply, Reply all and Forward on a message page. The draft is made here, from what the page already has, and
// kept on the device before Compose opens it: it works offline for any message the device can show.

const actions: { mode: ReplyMode; label: string; key: string; icon: React.ReactNode }[] = [
  { mode: "reply", label: "Reply", key: "r", icon: <ReplyOutlined /> },
  { mode: "all", label: "Reply all", key: "a", icon: <ReplyAllOutlined /> },
  { mode: "forward", label: "Forward", key: "f", icon: <ForwardOutlined /> },
];

export function ReplyActions({
  source,
  senders,
  senderId,
}: {
  source: ReplySource;
  /** The user's senders: their addresses never get a reply all, and the one the original concerns is the From. */
  senders: { id: string; fromEmail: string }[];
  /** The sender of a sent message, when it still exists. */
  senderId?: string | null;
}) {
  const user = useUser();
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  // A Mailbox message's files could not be copied (offline, or refused): Forward can still go without them.
  const [filesProblem, setFilesProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const ownAddresses = senders.map((s) => s.fromEmail);

  async function open(mode: ReplyMode, withoutFiles = false) {
    setError(null);
    setFilesProblem(null);
    const draft = replyDraft(
      user.id,
      senderId ?? senderFor(source, senders) ?? "",
      source,
      mode,
      ownAddresses,
    );
    if (mode === "forward" && source.kind === "mailbox" && source.attachmentCount > 0 && !withoutFiles) {
      setBusy(true);
      const copied = await copyMailboxFiles(source.id);
      setBusy(false);
      if (typeof copied === "string") {
        setFilesProblem(copied);
        return;
      }
      if (copied.length) draft.attachmentIds = copied;
    }
    try {
      const { saveDraft } = await import("@/lib/offline/drafts");
      await saveDraft(draft, false);
    } catch {
      setError("Could not start the message on this device. Try again.");
      return;
    }
    router.push(`/compose?draft=${draft.id}`);
  }

  return (
    <Box>
      <Box sx={{ display: "flex", flexWrap: "wrap", gap: 1 }} role="group" aria-label="Answer">
        {actions.map((a) => (
          <Button
            key={a.mode}
            variant="outlined"
            size="small"
            startIcon={a.icon}
            onClick={() => void open(a.mode)}
            disabled={busy}
            aria-keyshortcuts={a.key}
            {...{ [SHORTCUT_ATTR]: a.key }}
            sx={phoneTouchTarget}
          >
            {a.label}
          </Button>
        ))}
      </Box>
      {filesProblem && (
        <Box
          role="alert"
          sx={{ typography: "body2", mt: 1, display: "flex", flexWrap: "wrap", gap: 1, alignItems: "center" }}
        >
          <Box component="span" sx={{ color: "error.main" }}>
            {filesProblem}
          </Box>
          <Button size="small" onClick={() => void open("forward", true)} sx={phoneTouchTarget}>
            Forward without the files
          </Button>
        </Box>
      )}
      {error && (
        <Box role="alert" sx={{ color: "error.main", typography: "body2", mt: 1 }}>
          {error}
        </Box>
      )}
    </Box>
  );
}

/**
 * Copies a Mailbox message's files into the user's attachments (POST /api/mailbox/:id/attachments, which stores
 * them once however often it is asked) and returns their ids; or, when that cannot be done, why.
 */
async function copyMailboxFiles(id: string): Promise<string[] | string> {
  const count = "the original's files";
  if (!navigator.onLine)
    return `You are offline: ${count} can be added only with a connection. Forward again once online.`;
  try {
    const res = await fetch(`/api/mailbox/${encodeURIComponent(id)}/attachments`, { method: "POST" });
    const body = (await res.json().catch(() => null)) as {
      attachments?: { id: string }[];
      error?: { message?: string };
    } | null;
    if (!res.ok || !body?.attachments) return body?.error?.message ?? `Could not attach ${count}. Try again.`;
    return body.attachments.map((a) => a.id);
  } catch {
    return `Could not reach the server to attach ${count}. Try again once online.`;
  }
}

/** The draft a reply, reply all or forward starts as. */
function replyDraft(
  userId: string,
  senderId: string,
  source: ReplySource,
  mode: ReplyMode,
  ownAddresses: string[],
): Draft {
  const { to, cc, subject, quoteHtml, quotedText, ...thread } = replyDraftParts(source, mode, ownAddresses);
  return {
    id: crypto.randomUUID(),
    userId,
    senderId,
    to,
    cc,
    bcc: [],
    subject,
    html: "",
    quoteHtml,
    quotedText,
    ...thread,
    updatedAt: Date.now(),
  };
}

/** The user's sender the original was sent from or to, so the answer goes out from the same address. */
function senderFor(source: ReplySource, senders: { id: string; fromEmail: string }[]): string | undefined {
  const addresses = [source.from, ...source.to, ...source.cc].map((r) => r.address.toLowerCase());
  for (const address of addresses) {
    const match = senders.find((s) => s.fromEmail.toLowerCase() === address);
    if (match) return match.id;
  }
  return undefined;
}
