"use client";
import SearchOutlined from "@mui/icons-material/SearchOutlined";
import Box from "@mui/material/Box";
import Button from "@mui/material/Button";
import InputAdornment from "@mui/material/InputAdornment";
import Stack from "@mui/material/Stack";
import TextField from "@/components/ui/text-field";
import Typography from "@mui/material/Typography";
import { useEffect, useState } from "react";
import { useUser } from "@/components/layout/user-context";
import { KeyboardShortcutsSearch } from "@/components/layout/keyboard-shortcuts";
import { attentionOf, StatusChip } from "@/components/messages/status-chip";
import { recipientsText } from "@/components/ui/format";
import { LocalTime } from "@/components/ui/local-time";
import { LinkList } from "@/components/ui/link-list";
import { InlineMessage } from "@/components/ui/light-feedback";
import { ApiClientError, fetchJson } from "@/lib/api/client";
import type { MessageSummary } from "@/lib/messages/message-view";

type Page = { items: MessageSummary[]; nextCursor: string | null };

const sentCache = () => import("@/lib/offline/sent-cache");

/** initial: the first page, rendered with the screen (see app/(app)/sent/page.tsx). */
export function SentList({ initial }: { initial?: Page }) {
  const user = useUser();
  const [offlineCopy, setOfflineCopy] = useState(false);
  const [query, setQuery] = useState("");
  const [debounced, setDebounced] = useState("");
  const [items, setItems] = useState<MessageSummary[] | null>(initial?.items ?? null);
  const [nextCursor, setNextCursor] = useState<string | null>(initial?.nextCursor ?? null);
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
        setOfflineCopy(false);
        if (!debounced) void sentCache().then((c) => c.rememberSent(user.id, page.items));
        return page;
      } catch (e) {
        if (cancelled) return;
        if (e instanceof ApiClientError && e.status === 0) {
          // No connection: show what this device saved the last time.
          const cached = await (await sentCache()).cachedSent(user.id, debounced);
          if (cancelled) return;
          setItems(cached);
          setNextCursor(null);
          setOfflineCopy(true);
          setError(null);
        } else if (!quiet) {
          setError(e instanceof ApiClientError ? e.message : "Could not load Sent.");
        }
      }
    };
    void load(false);
    // Keep statuses fresh while anything is still on its way.
    const timer = setInterval(() => void load(true), 3000);
    return () => {
      cancelled = true;
      clearInterval(timer);
    };
  }, [debounced, user.id]);

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
          htmlInput: { "aria-label": "Search sent messages", ...KeyboardShortcutsSearch },
          input: {
            startAdornment: (
              <InputAdornment position="start">
                <SearchOutlined />
              </InputAdornment>
            ),
          },
        }}
      />
      {error && <InlineMessage tone="error">{error}</InlineMessage>}
      {offlineCopy && (
        <InlineMessage tone="info" data-testid="sent-offline">
          You are offline: these are the messages saved on this device.
        </InlineMessage>
      )}
      <LinkList
        items={items}
        label="Sent messages"
        testId="sent-item"
        href={(m) => `/messages/${m.id}`}
        primary={(m) => `${m.subject || "(no subject)"}${m.hasAttachments ? " 📎" : ""}`}
        secondary={(m) => (
          <>
            {m.viaSandbox ? "Test mailbox · " : ""}To {recipientsText([...m.to, ...m.cc, ...m.bcc])} ·{" "}
            <LocalTime iso={m.createdAt} />
            {refusedNote(m)}
          </>
        )}
        trailing={(m) => <StatusChip message={m} />}
        attention={attentionOf}
        emptyText={
          debounced
            ? `Nothing in Sent matches “${debounced}”.`
            : "Nothing sent yet. Messages you send appear here."
        }
        emptyAction={!debounced}
      />
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

/** " · 1 of 2 refused" for a message some recipients refused; partial and failed ones say it in the list. */
function refusedNote(m: MessageSummary): string {
  // Copies saved on the device by an older version have no per-recipient states.
  const refused = m.recipients?.filter((r) => r.state === "refused").length ?? 0;
  return refused ? ` · ${refused} of ${m.recipients.length} refused` : "";
}
