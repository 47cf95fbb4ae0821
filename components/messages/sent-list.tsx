"use client";
import SearchOutlined from "@mui/icons-material/SearchOutlined";
import Alert from "@mui/material/Alert";
import Box from "@mui/material/Box";
import Button from "@mui/material/Button";
import InputAdornment from "@mui/material/InputAdornment";
import List from "@mui/material/List";
import ListItemButton from "@mui/material/ListItemButton";
import ListItemText from "@mui/material/ListItemText";
import Paper from "@mui/material/Paper";
import Skeleton from "@mui/material/Skeleton";
import Stack from "@mui/material/Stack";
import TextField from "@mui/material/TextField";
import Typography from "@mui/material/Typography";
import NextLink from "next/link";
import { useEffect, useState } from "react";
import { StatusChip } from "@/components/messages/status-chip";
import { formatDateTime, recipientsText } from "@/components/ui/format";
import { ApiClientError, fetchJson } from "@/lib/api/client";
import type { MessageSummary } from "@/lib/messages/message-view";

type Page = { items: MessageSummary[]; nextCursor: string | null };

export function SentList() {
  const [query, setQuery] = useState("");
  const [debounced, setDebounced] = useState("");
  const [items, setItems] = useState<MessageSummary[] | null>(null);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);

  useEffect(() => {
    const t = setTimeout(() => setDebounced(query.trim()), 250);
    return () => clearTimeout(t);
  }, [query]);

  useEffect(() => {
    let cancelled = false;
    const load = async (quiet: boolean) => {
      try {
        const page = await fetchJson<Page>(
          `/api/messages?${new URLSearchParams(debounced ? { q: debounced } : {})}`,
        );
        if (cancelled) return;
        setItems(page.items);
        setNextCursor(page.nextCursor);
        setError(null);
        return page;
      } catch (e) {
        if (!cancelled && !quiet) setError(e instanceof ApiClientError ? e.message : "Could not load Sent.");
      }
    };
    void load(false);
    // Keep statuses fresh while anything is still on its way.
    const timer = setInterval(() => void load(true), 3000);
    return () => {
      cancelled = true;
      clearInterval(timer);
    };
  }, [debounced]);

  async function loadMore() {
    if (!nextCursor) return;
    setLoadingMore(true);
    try {
      const params = new URLSearchParams({ cursor: nextCursor, ...(debounced ? { q: debounced } : {}) });
      const page = await fetchJson<Page>(`/api/messages?${params}`);
      setItems((prev) => [...(prev ?? []), ...page.items]);
      setNextCursor(page.nextCursor);
    } catch (e) {
      setError(e instanceof ApiClientError ? e.message : "Could not load more messages.");
    } finally {
      setLoadingMore(false);
    }
  }

  return (
    <Stack spacing={2} sx={{ maxWidth: 900 }}>
      <Typography variant="h5" component="h1">
        Sent
      </Typography>
      <TextField
        size="small"
        placeholder="Search by recipient or subject"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        slotProps={{
          htmlInput: { "aria-label": "Search sent messages" },
          input: {
            startAdornment: (
              <InputAdornment position="start">
                <SearchOutlined />
              </InputAdornment>
            ),
          },
        }}
      />
      {error && <Alert severity="error">{error}</Alert>}
      {items === null ? (
        <Stack spacing={1} aria-label="Loading messages">
          {[0, 1, 2].map((i) => (
            <Skeleton key={i} variant="rounded" height={64} />
          ))}
        </Stack>
      ) : items.length === 0 ? (
        <Paper variant="outlined" sx={{ p: 4, textAlign: "center" }}>
          <Typography color="text.secondary">
            {debounced
              ? `Nothing in Sent matches “${debounced}”.`
              : "Nothing sent yet. Messages you send appear here."}
          </Typography>
          {!debounced && (
            <Button component={NextLink} href="/compose" sx={{ mt: 1 }}>
              Write a message
            </Button>
          )}
        </Paper>
      ) : (
        <Paper variant="outlined">
          <List disablePadding aria-label="Sent messages">
            {items.map((m) => (
              <ListItemButton
                key={m.id}
                component={NextLink}
                href={`/messages/${m.id}`}
                divider
                data-testid="sent-item"
              >
                <ListItemText
                  primary={m.subject || "(no subject)"}
                  secondary={`To ${recipientsText([...m.to, ...m.cc, ...m.bcc])} · ${formatDateTime(m.createdAt)}`}
                  slotProps={{ primary: { noWrap: true }, secondary: { noWrap: true } }}
                  sx={{ mr: 2, minWidth: 0 }}
                />
                <StatusChip status={m.status} />
              </ListItemButton>
            ))}
          </List>
        </Paper>
      )}
      {nextCursor && (
        <Box sx={{ textAlign: "center" }}>
          <Button onClick={loadMore} disabled={loadingMore}>
            {loadingMore ? "Loading…" : "Load more"}
          </Button>
        </Box>
      )}
    </Stack>
  );
}
