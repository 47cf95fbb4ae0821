"use client";
import Alert from "@mui/material/Alert";
import Box from "@mui/material/Box";
import Button from "@mui/material/Button";
import List from "@mui/material/List";
import ListItemButton from "@mui/material/ListItemButton";
import ListItemText from "@mui/material/ListItemText";
import Paper from "@mui/material/Paper";
import Skeleton from "@mui/material/Skeleton";
import Stack from "@mui/material/Stack";
import Typography from "@mui/material/Typography";
import NextLink from "next/link";
import { useEffect, useState } from "react";
import { formatBytes, formatDateTime } from "@/components/ui/format";
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
          Everything you send through the Sandbox sender lands here instead of going out to the internet.
        </Typography>
      </Box>
      {error && <Alert severity="error">{error}</Alert>}
      {items === null ? (
        <Stack spacing={1}>
          {[0, 1, 2].map((i) => (
            <Skeleton key={i} variant="rounded" height={64} />
          ))}
        </Stack>
      ) : items.length === 0 ? (
        <Paper variant="outlined" sx={{ p: 4, textAlign: "center" }}>
          <Typography color="text.secondary">
            The sandbox Mailbox is empty. Send a message with the Sandbox sender.
          </Typography>
          <Button component={NextLink} href="/compose" sx={{ mt: 1 }}>
            Write a message
          </Button>
        </Paper>
      ) : (
        <Paper variant="outlined">
          <List disablePadding aria-label="Captured messages">
            {items.map((m) => (
              <ListItemButton
                key={m.id}
                component={NextLink}
                href={`/mailbox/${m.id}`}
                divider
                data-testid="mailbox-item"
              >
                <ListItemText
                  primary={m.subject || "(no subject)"}
                  secondary={`From ${m.from} to ${m.to.join(", ")} · ${formatDateTime(m.receivedAt)} · ${formatBytes(m.size)}`}
                  slotProps={{ primary: { noWrap: true }, secondary: { noWrap: true } }}
                />
              </ListItemButton>
            ))}
          </List>
        </Paper>
      )}
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
