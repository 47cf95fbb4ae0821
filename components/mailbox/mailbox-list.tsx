"use client";
import Alert from "@mui/material/Alert";
import Box from "@mui/material/Box";
import Button from "@mui/material/Button";
import Stack from "@mui/material/Stack";
import Typography from "@mui/material/Typography";
import { useEffect, useState } from "react";
import { formatBytes } from "@/components/ui/format";
import { LocalTime } from "@/components/ui/local-time";
import { LinkList } from "@/components/ui/link-list";
import { ApiClientError, fetchJson } from "@/lib/api/client";
import type { MailboxItem } from "@/lib/sandbox/mailbox";

type Page = { items: MailboxItem[]; nextCursor: string | null };

export function MailboxList() {
  const [items, setItems] = useState<MailboxItem[] | null>(null);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    const load = async () => {
      try {
        const page = await fetchJson<Page>("/api/mailbox");
        if (cancelled) return;
        setItems((prev) => mergeNewest(prev, page.items));
        setNextCursor((prev) => prev ?? page.nextCursor);
        setError(null);
      } catch (e) {
        if (!cancelled) setError(e instanceof ApiClientError ? e.message : "Could not load the Mailbox.");
      }
    };
    void load();
    const timer = setInterval(load, 3000);
    return () => {
      cancelled = true;
      clearInterval(timer);
    };
  }, []);

  async function loadMore() {
    if (!nextCursor) return;
    const page = await fetchJson<Page>(`/api/mailbox?cursor=${encodeURIComponent(nextCursor)}`);
    setItems((prev) => [...(prev ?? []), ...page.items]);
    setNextCursor(page.nextCursor);
  }

  return (
    <Stack spacing={2} sx={{ maxWidth: 900 }}>
      <Box>
        <Typography variant="h5" component="h1">
          Mailbox
        </Typography>
        <Typography variant="body2" color="text.secondary">
          The built-in test mailbox: everything you send with it lands here, and nothing leaves this machine.
        </Typography>
      </Box>
      {error && <Alert severity="error">{error}</Alert>}
      <LinkList
        items={items}
        label="Captured messages"
        testId="mailbox-item"
        href={(m) => `/mailbox/${m.id}`}
        primary={(m) => m.subject || "(no subject)"}
        secondary={(m) => (
          <>
            From {m.from} to {m.to.join(", ")} · <LocalTime iso={m.receivedAt} /> · {formatBytes(m.size)}
          </>
        )}
        emptyText="The test mailbox is empty. Send a message from “Built-in test mailbox” to see it here."
        emptyAction
      />
      {nextCursor && (
        <Box sx={{ textAlign: "center" }}>
          <Button onClick={loadMore}>Load more</Button>
        </Box>
      )}
    </Stack>
  );
}

// Polling refreshes the first page; keep older pages the user already loaded.
function mergeNewest(prev: MailboxItem[] | null, first: MailboxItem[]): MailboxItem[] {
  if (!prev) return first;
  const ids = new Set(first.map((m) => m.id));
  return [...first, ...prev.filter((m) => !ids.has(m.id) && prev.indexOf(m) >= first.length)];
}
