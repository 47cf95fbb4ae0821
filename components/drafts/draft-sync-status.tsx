"use client";
import Box from "@mui/material/Box";
import Button from "@mui/material/Button";
import NextLink from "next/link";
import { useEffect, useSyncExternalStore } from "react";
import { InlineMessage } from "@/components/ui/light-feedback";
import {
  dismissDraftConflict,
  draftSyncState,
  subscribeToDraftSync,
  type DraftSyncState,
} from "@/lib/offline/draft-sync-state";

const STATUS_TEXT: Record<DraftSyncState["status"], string> = {
  idle: "Drafts are saved on this device",
  syncing: "Saving drafts to your account…",
  synced: "Drafts saved to your account",
  offline: "Offline — drafts are saved on this device and sync when you are back online",
  failed: "Drafts are saved on this device; saving them to your account failed and will be retried",
};

/**
 * Keeps this user's drafts in step with the server while a screen that shows them is open (on opening, on
 * coming back online, on returning to the tab), says where they are, and reports a conflict kept as two drafts.
 */
export default function DraftSyncStatus({ userId }: { userId: string }) {
  const state = useSyncExternalStore(subscribeToDraftSync, draftSyncState, draftSyncState);

  useEffect(() => {
    const syncNow = () => {
      if (document.visibilityState === "visible")
        void import("@/lib/offline/draft-sync").then((s) => s.requestDraftSync(userId, 0));
    };
    syncNow();
    window.addEventListener("online", syncNow);
    document.addEventListener("visibilitychange", syncNow);
    return () => {
      window.removeEventListener("online", syncNow);
      document.removeEventListener("visibilitychange", syncNow);
    };
  }, [userId]);

  return (
    <Box sx={{ display: "flex", flexDirection: "column", gap: 1 }}>
      <Box
        component="span"
        data-testid="draft-sync-status"
        data-status={state.status}
        sx={{ typography: "caption", color: state.status === "failed" ? "warning.main" : "text.secondary" }}
      >
        {STATUS_TEXT[state.status]}
      </Box>
      {state.conflict && (
        <InlineMessage tone="warning">
          <Box sx={{ display: "flex", flexWrap: "wrap", alignItems: "center", gap: 1 }}>
            <span>
              This draft was also changed on another device. Both versions are kept: the other one is in
              Drafts as “{state.conflict.copySubject}”.
            </span>
            <Button size="small" component={NextLink} href={`/compose?draft=${state.conflict.copyId}`}>
              Open it
            </Button>
            <Button size="small" onClick={dismissDraftConflict}>
              Dismiss
            </Button>
          </Box>
        </InlineMessage>
      )}
    </Box>
  );
}
