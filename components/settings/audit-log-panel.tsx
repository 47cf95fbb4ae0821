"use client";
import Alert from "@mui/material/Alert";
import Button from "@mui/material/Button";
import List from "@mui/material/List";
import ListItem from "@mui/material/ListItem";
import ListItemText from "@mui/material/ListItemText";
import Paper from "@mui/material/Paper";
import Stack from "@mui/material/Stack";
import Typography from "@mui/material/Typography";
import { useCallback, useEffect, useState } from "react";
import { displayIp } from "@/components/ui/format";
import { LocalTime } from "@/components/ui/local-time";
import { ApiClientError, fetchJson } from "@/lib/api/client";
import { deviceLabel } from "@/lib/push/device-label";

type AuditEvent = {
  id: string;
  type: string;
  detail: string | null;
  ip: string | null;
  userAgent: string | null;
  createdAt: string;
};

const labels: Record<string, string> = {
  sign_in: "Signed in",
  sign_in_failed: "Failed sign-in attempt",
  password_changed: "Password changed",
  password_change_failed: "Wrong current password given to change the password",
  signed_out_everywhere: "Signed out everywhere",
  sender_created: "Sender added",
  sender_updated: "Sender changed",
  sender_deleted: "Sender removed",
  data_exported: "Data exported",
  two_factor_enabled: "Two-factor sign-in turned on",
  two_factor_disabled: "Two-factor sign-in turned off",
  two_factor_failed: "Wrong two-factor code",
  recovery_code_used: "Recovery code used",
  password_reset: "Password reset by emailed link",
  invitation_created: "Invitation created",
  invitation_revoked: "Invitation revoked",
  api_key_created: "API key created",
  api_key_revoked: "API key revoked",
  webhook_disabled: "Webhook turned off after failures",
};

/** Security events on the account, newest first, a page at a time. */
export function AuditLogPanel() {
  const [events, setEvents] = useState<AuditEvent[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async (after?: string) => {
    setLoading(true);
    try {
      const page = await fetchJson<{ events: AuditEvent[]; nextCursor: string | null }>(
        `/api/account/audit?limit=20${after ? `&cursor=${encodeURIComponent(after)}` : ""}`,
      );
      setEvents((prev) => (after ? [...prev, ...page.events] : page.events));
      setCursor(page.nextCursor);
    } catch (e) {
      setError(e instanceof ApiClientError ? e.message : "Could not load the security log.");
    } finally {
      setLoading(false);
    }
  }, []);

  useEffect(() => {
    // The first page loads after mount (fetch resolves asynchronously; nothing is set synchronously here).
    const timer = setTimeout(() => void load(), 0);
    return () => clearTimeout(timer);
  }, [load]);

  return (
    <Stack spacing={2} sx={{ maxWidth: 900 }}>
      <Typography variant="h6" component="h2">
        Security log
      </Typography>
      {error && <Alert severity="error">{error}</Alert>}
      <Paper variant="outlined" data-testid="audit-log">
        {events.length === 0 && !loading && (
          <Typography variant="body2" sx={{ p: 2 }} color="text.secondary">
            No security events yet.
          </Typography>
        )}
        <List dense aria-label="Security events">
          {events.map((e) => (
            <ListItem key={e.id} divider>
              <ListItemText
                primary={`${labels[e.type] ?? e.type}${e.detail ? ` — ${e.detail}` : ""}`}
                secondary={
                  <>
                    <LocalTime iso={e.createdAt} />
                    {e.userAgent && (
                      <>
                        {" · "}
                        <span title={e.userAgent}>{deviceLabel(e.userAgent)}</span>
                      </>
                    )}
                    {e.ip && ` · ${displayIp(e.ip)}`}
                  </>
                }
                slotProps={{ secondary: { sx: { overflowWrap: "anywhere" } } }}
              />
            </ListItem>
          ))}
        </List>
      </Paper>
      {cursor && (
        <Button onClick={() => void load(cursor)} disabled={loading} sx={{ alignSelf: "flex-start" }}>
          Show older events
        </Button>
      )}
    </Stack>
  );
}
